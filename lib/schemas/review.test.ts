import { describe, expect, it } from "vitest";
import {
  bulkReviewSchema,
  isDefaultReviewFilter,
  parseReviewView,
  reviewFilterParams,
  reviewItemsSchema,
  reviewViewParams,
} from "@/lib/schemas/review";

describe("parseReviewView", () => {
  it("reads every filter, the sort, the page, the cursor and the item from URL parameters", () => {
    const { view, errors } = parseReviewView(
      new URLSearchParams(
        "state=kept&decision=unreviewed&gapMin=-1.5&gapMax=4&iteration=2&useCase=Coding+help&skill=python&run=7" +
          "&q=%22linked+list%22+-java&sort=strongScore.asc&page=3&cursor=a.abc&item=42",
      ),
    );
    expect(errors).toEqual({});
    expect(view).toEqual({
      filter: {
        state: "kept",
        decision: "unreviewed",
        gapMin: -1.5,
        gapMax: 4,
        iteration: 2,
        useCase: "Coding help",
        skill: "python",
        runId: 7,
        search: '"linked list" -java',
      },
      sort: { field: "strongScore", direction: "asc" },
      page: 3,
      cursor: "a.abc",
      item: 42,
    });
  });

  it("defaults to final versions sorted by gap descending on page 1", () => {
    const { view, errors } = parseReviewView(new URLSearchParams(""));
    expect(errors).toEqual({});
    expect(view).toEqual({ filter: {}, sort: { field: "gap", direction: "desc" }, page: 1 });
    expect(isDefaultReviewFilter(view.filter)).toBe(true);
  });

  it("drops invalid values, reports them by parameter, and keeps the valid ones", () => {
    const { view, errors } = parseReviewView({
      state: "maybe",
      decision: "accepted",
      gapMin: "abc",
      iteration: "1.5",
      run: "-3",
      sort: "text.sideways",
      page: "0",
    });
    expect(view.filter).toEqual({ decision: "accepted" });
    expect(view.sort).toEqual({ field: "gap", direction: "desc" });
    expect(view.page).toBe(1);
    expect(Object.keys(errors).sort()).toEqual(["gapMin", "iteration", "run", "sort", "state"]);
  });

  it("rejects a gap range whose minimum is above its maximum", () => {
    const { view, errors } = parseReviewView({ gapMin: "5", gapMax: "2", iteration: "3" });
    expect(view.filter).toEqual({ iteration: 3 });
    expect(errors.gapMax).toMatch(/at least the minimum/);
  });

  it("ignores blank parameters and a cursor on page 1, and takes the first of repeated values", () => {
    const { view } = parseReviewView({
      q: "   ",
      useCase: ["Travel", "Cooking"],
      cursor: "a.xyz",
      page: "1",
    });
    expect(view.filter).toEqual({ useCase: "Travel" });
    expect(view.cursor).toBeUndefined();
  });
});

describe("reviewViewParams", () => {
  it("round-trips a view through the URL and leaves defaults out", () => {
    const view = {
      filter: { state: "dropped" as const, gapMin: 0.5, search: "50% off & more", skill: "a/b" },
      sort: { field: "iteration" as const, direction: "asc" as const },
      page: 4,
      cursor: "b.Zm9v",
      item: 9,
    };
    const params = reviewViewParams(view);
    expect(parseReviewView(new URLSearchParams(params.toString())).view).toEqual(view);
    expect(
      reviewViewParams({ filter: {}, sort: { field: "gap", direction: "desc" }, page: 1 }).toString(),
    ).toBe("");
    expect(reviewViewParams(view, { withItem: false }).has("item")).toBe(false);
  });

  it("writes filter parameters in a fixed order whatever the object's key order (a stable cache key)", () => {
    expect(reviewFilterParams({ skill: "x", state: "kept", gapMax: 3 }).toString()).toBe(
      reviewFilterParams({ gapMax: 3, state: "kept", skill: "x" }).toString(),
    );
  });
});

describe("action schemas", () => {
  it("requires at least one version and a non-empty edit", () => {
    expect(reviewItemsSchema.safeParse({ projectId: 1, versionIds: [], decision: "accepted" }).success).toBe(
      false,
    );
    expect(reviewItemsSchema.safeParse({ projectId: 1, versionIds: [2], editedText: "   " }).success).toBe(
      false,
    );
    expect(
      reviewItemsSchema.parse({ projectId: 1, versionIds: [2], editedText: " New text " }).editedText,
    ).toBe("New text");
  });

  it("accepts a bulk decision only with a valid filter", () => {
    expect(
      bulkReviewSchema.safeParse({ projectId: 1, filter: { gapMin: 3 }, decision: "accepted" }).success,
    ).toBe(true);
    expect(
      bulkReviewSchema.safeParse({ projectId: 1, filter: { gapMin: 3, gapMax: 1 }, decision: "accepted" })
        .success,
    ).toBe(false);
    expect(
      bulkReviewSchema.safeParse({ projectId: 1, filter: { sql: "1=1" }, decision: "accepted" }).success,
    ).toBe(false);
    expect(bulkReviewSchema.safeParse({ projectId: 1, filter: {}, decision: "maybe" }).success).toBe(false);
  });
});

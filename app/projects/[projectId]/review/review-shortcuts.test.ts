import { describe, expect, it } from "vitest";
import { reviewShortcut } from "./review-shortcuts";

const body = { tagName: "BODY" };
const key = (value: string, extra: Partial<Parameters<typeof reviewShortcut>[0]> = {}) =>
  reviewShortcut({
    key: value,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    target: body as unknown as EventTarget,
    ...extra,
  });

describe("reviewShortcut", () => {
  it("maps j/k, a, r, e, E, u, n and / to their actions", () => {
    expect(["j", "k", "a", "r", "e", "E", "u", "n", "/"].map((value) => key(value))).toEqual([
      "next",
      "previous",
      "accept",
      "reject",
      "edit",
      "editAnswer",
      "undo",
      "note",
      "search",
    ]);
    expect(key("x")).toBeNull();
  });

  it("does nothing while typing in a field, with a modifier held, or with a dialog open", () => {
    for (const tagName of ["INPUT", "TEXTAREA", "SELECT", "input"]) {
      expect(key("a", { target: { tagName } as unknown as EventTarget })).toBeNull();
    }
    expect(
      key("a", { target: { tagName: "DIV", isContentEditable: true } as unknown as EventTarget }),
    ).toBeNull();
    expect(key("r", { ctrlKey: true })).toBeNull();
    expect(key("r", { metaKey: true })).toBeNull();
    expect(key("j", { defaultPrevented: true })).toBeNull();
    expect(
      reviewShortcut(
        { key: "a", ctrlKey: false, metaKey: false, altKey: false, target: null },
        { dialogOpen: true },
      ),
    ).toBeNull();
  });
});

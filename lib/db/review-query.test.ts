import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, reverseSegments, sortSegments } from "@/lib/db/review-query";
import type { ReviewSort } from "@/lib/schemas/review";

const gapDesc: ReviewSort = { field: "gap", direction: "desc" };

describe("sortSegments", () => {
  it("splits a nullable sort key into scored rows then unscored rows by id, in the same direction", () => {
    const segments = sortSegments(gapDesc);
    expect(
      segments.map((segment) => [segment.index, segment.keys.map((key) => key.column), segment.descending]),
    ).toEqual([
      [0, ["gap", "id"], true],
      [1, ["id"], true],
    ]);
    // Read backwards: unscored rows first, every direction flipped.
    expect(reverseSegments(segments).map((segment) => [segment.index, segment.descending])).toEqual([
      [1, false],
      [0, false],
    ]);
  });

  it("uses one segment for keys that are never null", () => {
    expect(
      sortSegments({ field: "createdAt", direction: "asc" }).map((segment) =>
        segment.keys.map((key) => key.cast),
      ),
    ).toEqual([["timestamp(3)", "int4"]]);
  });
});

describe("cursors", () => {
  it("round-trips the direction, segment and key values", () => {
    const cursor = encodeCursor("after", gapDesc, { segment: 0, keys: ["3.5", "120"] });
    expect(cursor).toMatch(/^a\.[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, gapDesc)).toEqual({
      direction: "after",
      sort: "gap.desc",
      position: { segment: 0, keys: ["3.5", "120"] },
    });
    const before = encodeCursor(
      "before",
      { field: "createdAt", direction: "asc" },
      { segment: 0, keys: ["2026-01-01 10:00:00.123", "7"] },
    );
    expect(decodeCursor(before, { field: "createdAt", direction: "asc" })?.direction).toBe("before");
  });

  it("rejects cursors for another sort, with the wrong number of keys, or with values that are not well formed", () => {
    const cursor = encodeCursor("after", gapDesc, { segment: 0, keys: ["3.5", "120"] });
    expect(decodeCursor(cursor, { field: "gap", direction: "asc" })).toBeNull();
    expect(
      decodeCursor(encodeCursor("after", gapDesc, { segment: 1, keys: ["3.5", "120"] }), gapDesc),
    ).toBeNull();
    expect(
      decodeCursor(
        encodeCursor("after", gapDesc, { segment: 0, keys: ["1); DROP TABLE x; --", "1"] }),
        gapDesc,
      ),
    ).toBeNull();
    expect(
      decodeCursor(encodeCursor("after", gapDesc, { segment: 0, keys: ["1", "99999999999"] }), gapDesc),
    ).toBeNull();
    expect(decodeCursor("a.not-json", gapDesc)).toBeNull();
    expect(decodeCursor("z.e30", gapDesc)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { countOf } from "./count-of";

describe("countOf", () => {
  it("uses the singular for exactly one and groups digits", () => {
    expect(countOf(1, "record")).toBe("1 record");
    expect(countOf(0, "record")).toBe("0 records");
    expect(countOf(1200, "entry", "entries")).toBe("1,200 entries");
  });
});

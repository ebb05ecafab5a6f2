import { describe, expect, it } from "vitest";
import { countChangedWords, wordDiff } from "./word-diff";

describe("wordDiff", () => {
  it("marks words added by a Self-Rubrics action and keeps the rest as is", () => {
    const parts = wordDiff("Explain how bread rises.", "Explain how sourdough bread rises, in three steps.");
    expect(parts.filter((part) => part.kind === "added").map((part) => part.text.trim())).toEqual([
      "sourdough",
      ", in three steps",
    ]);
    expect(parts.filter((part) => part.kind === "removed").map((part) => part.text.trim())).toEqual([]);
    // Reading the same + added parts gives the new text; same + removed gives the old one.
    expect(
      parts
        .filter((part) => part.kind !== "removed")
        .map((part) => part.text)
        .join(""),
    ).toBe("Explain how sourdough bread rises, in three steps.");
    expect(
      parts
        .filter((part) => part.kind !== "added")
        .map((part) => part.text)
        .join(""),
    ).toBe("Explain how bread rises.");
  });

  it("shows a replaced word as a removal and an addition", () => {
    const parts = wordDiff("Write a poem about cats", "Write a sonnet about cats");
    expect(parts).toContainEqual({ kind: "removed", text: "poem" });
    expect(parts).toContainEqual({ kind: "added", text: "sonnet" });
    expect(countChangedWords(parts)).toEqual({ added: 1, removed: 1 });
  });

  it("returns one unchanged part for equal texts and nothing for two empty ones", () => {
    expect(wordDiff("Same text", "Same text")).toEqual([{ kind: "same", text: "Same text" }]);
    expect(wordDiff("", "")).toEqual([]);
    expect(wordDiff("", "New")).toEqual([{ kind: "added", text: "New" }]);
  });

  it("counts words, not characters or whitespace runs", () => {
    expect(
      countChangedWords([
        { kind: "added", text: "  three new  words " },
        { kind: "same", text: "x y" },
      ]),
    ).toEqual({
      added: 3,
      removed: 0,
    });
  });
});

import { describe, expect, it } from "vitest";
import { buildPlausibilityPrompt, chunk, matchVerdicts, plausibilityOutputSchema } from "./plausibility";

const entries = [
  { useCase: "code generation", skills: ["python", "algorithms"] },
  { useCase: "creative writing", skills: ["sql"] },
];

describe("buildPlausibilityPrompt", () => {
  it("numbers every entry with its use case and skills", () => {
    const spec = buildPlausibilityPrompt(entries, { taskDescription: "dev tools" });
    const user = spec.messages.at(-1)!.content;
    expect(user).toContain("1. Use case: code generation; Skills: python, algorithms");
    expect(user).toContain("2. Use case: creative writing; Skills: sql");
    expect(spec.messages[0]!.content).toContain("dev tools");
    expect(() => buildPlausibilityPrompt([])).toThrow(RangeError);
  });
});

describe("matchVerdicts", () => {
  it("maps 1-based indices to entries, first verdict wins, missing ones are null", () => {
    const verdicts = matchVerdicts(3, {
      verdicts: [
        { index: 2, plausible: false, reason: " odd pair " },
        { index: 2, plausible: true, reason: "second opinion" },
        { index: 1, plausible: true, reason: "fine" },
        { index: 9, plausible: true, reason: "out of range" },
      ],
    });
    expect(verdicts).toEqual([
      { plausible: true, reason: "fine" },
      { plausible: false, reason: "odd pair" },
      null,
    ]);
  });

  it("schema rejects verdicts without a boolean", () => {
    expect(
      plausibilityOutputSchema.safeParse({ verdicts: [{ index: 1, plausible: "yes", reason: "" }] }).success,
    ).toBe(false);
    expect(plausibilityOutputSchema.safeParse({ verdicts: [] }).success).toBe(false);
  });
});

describe("chunk", () => {
  it("splits into batches of the given size", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 3)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";
import {
  basicInstructionsPerEntry,
  buildDecodePrompt,
  decodeOutputSchema,
  dedupeInstructions,
  splitIntoBatches,
} from "./decode";

const metadata = { useCase: "business plan development", skills: ["market research", "planning"] };

describe("buildDecodePrompt", () => {
  it("includes the metadata as constraints, the count, and asks not to answer", () => {
    const spec = buildDecodePrompt(metadata, { count: 7 });
    const all = spec.messages.map((m) => m.content).join("\n");
    expect(all).toContain("instruction writer");
    expect(all).toContain("write 7 instructions");
    expect(all).toContain("Use case of the instructions: business plan development");
    expect(all).toContain("Skills required to respond to the instructions: market research, planning");
    expect(all).toContain("diverse");
    expect(all).toMatch(/without answering/);
    expect(all).not.toContain("Context:");
  });

  it("adds the task description, the batch and earlier instructions when given", () => {
    const spec = buildDecodePrompt(metadata, {
      count: 5,
      taskDescription: "help small shops plan",
      batch: { index: 1, total: 3 },
      previousInstructions: ["Write a plan for a bakery."],
    });
    const all = spec.messages.map((m) => m.content).join("\n");
    expect(all).toContain("help small shops plan");
    expect(all).toContain("set 2 of 3");
    expect(all).toContain("- Write a plan for a bakery.");
  });

  it("gives different batches different prompts (so the call cache cannot return one for the other)", () => {
    const first = buildDecodePrompt(metadata, { count: 5, batch: { index: 0, total: 2 } });
    const second = buildDecodePrompt(metadata, { count: 5, batch: { index: 1, total: 2 } });
    expect(first.messages).not.toEqual(second.messages);
  });

  it("schema accepts a list and rejects an empty one or a bare string", () => {
    expect(decodeOutputSchema.safeParse({ instructions: ["a", "b"] }).success).toBe(true);
    expect(decodeOutputSchema.safeParse({ instructions: [] }).success).toBe(false);
    expect(decodeOutputSchema.safeParse({ instructions: "a" }).success).toBe(false);
  });

  it("rejects a non-positive count", () => {
    expect(() => buildDecodePrompt(metadata, { count: 0 })).toThrow(RangeError);
  });
});

describe("basicInstructionsPerEntry", () => {
  it("divides the target size over the pool, allowing for the assumed 50% yield", () => {
    expect(basicInstructionsPerEntry({ targetDatasetSize: 2000, poolSize: 200 })).toBe(20);
    expect(basicInstructionsPerEntry({ targetDatasetSize: 1000, poolSize: 200 })).toBe(10);
    expect(basicInstructionsPerEntry({ targetDatasetSize: 1001, poolSize: 200 })).toBe(11);
  });

  it("uses the observed yield once there is one", () => {
    expect(basicInstructionsPerEntry({ targetDatasetSize: 2000, poolSize: 200, observedYield: 0.8 })).toBe(
      13,
    );
    expect(basicInstructionsPerEntry({ targetDatasetSize: 2000, poolSize: 200, observedYield: 1 })).toBe(10);
    expect(basicInstructionsPerEntry({ targetDatasetSize: 2000, poolSize: 200, observedYield: 0 })).toBe(20);
    expect(basicInstructionsPerEntry({ targetDatasetSize: 2000, poolSize: 200, observedYield: null })).toBe(
      20,
    );
  });

  it("clamps to [1, 50]", () => {
    expect(basicInstructionsPerEntry({ targetDatasetSize: 100_000, poolSize: 10 })).toBe(50);
    expect(basicInstructionsPerEntry({ targetDatasetSize: 2000, poolSize: 200, observedYield: 0.01 })).toBe(
      50,
    );
    expect(basicInstructionsPerEntry({ targetDatasetSize: 1, poolSize: 5000 })).toBe(1);
    expect(basicInstructionsPerEntry({ targetDatasetSize: 10, poolSize: 0 })).toBe(1);
  });
});

describe("splitIntoBatches", () => {
  it("splits evenly into calls of at most maxPerCall", () => {
    expect(splitIntoBatches(20, 10)).toEqual([10, 10]);
    expect(splitIntoBatches(25, 10)).toEqual([9, 8, 8]);
    expect(splitIntoBatches(7, 10)).toEqual([7]);
    expect(splitIntoBatches(0, 10)).toEqual([]);
    for (let total = 1; total <= 60; total++) {
      const batches = splitIntoBatches(total, 10);
      expect(batches.reduce((a, b) => a + b, 0)).toBe(total);
      expect(Math.max(...batches)).toBeLessThanOrEqual(10);
      expect(Math.max(...batches) - Math.min(...batches)).toBeLessThanOrEqual(1);
    }
  });
});

describe("dedupeInstructions", () => {
  it("drops blanks, list markers and near-identical repeats, keeping order", () => {
    expect(
      dedupeInstructions([
        "1. Write a plan for a bakery.",
        "write a plan for a  bakery",
        "",
        "  ",
        "- Compare two competitors.",
        "Explain churn?",
      ]),
    ).toEqual(["Write a plan for a bakery.", "Compare two competitors.", "Explain churn?"]);
  });

  it("drops instructions already written earlier but keeps internal line breaks", () => {
    expect(dedupeInstructions(["Old one.", "New one:\ncode here"], ["old one"])).toEqual([
      "New one:\ncode here",
    ]);
  });
});

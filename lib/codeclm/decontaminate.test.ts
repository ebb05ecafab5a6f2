import { describe, expect, it } from "vitest";
import { contaminationReason, createContaminationIndex, summarizeContamination } from "./decontaminate";

const items = [
  {
    setName: "vicuna-80",
    itemId: "1",
    text: "How can I improve my time management skills?",
  },
  {
    setName: "evol-instruct-218",
    itemId: "17",
    text: "Write a Python function that takes a list of integers and returns the second largest value without sorting the list, and explain its time complexity.",
  },
];

describe("createContaminationIndex", () => {
  const index = createContaminationIndex(items);

  it("drops an instruction sharing a 13-word sequence with a test item, naming the set, item and sequence", () => {
    const generated =
      "As part of an interview exercise: write a Python function that takes a list of integers and returns the second largest value without sorting the list.";
    const match = index.check(generated);
    expect(match).toMatchObject({ setName: "evol-instruct-218", itemId: "17", kind: "ngram" });
    expect(match!.ngram!.split(" ")).toHaveLength(13);
    expect(items[1]!.text.toLowerCase()).toContain(match!.ngram!.split(" ").slice(0, 5).join(" "));
  });

  it("catches a short test item reworded slightly, which has no 13-gram", () => {
    const match = index.check("How can I improve my time-management skills at work?");
    expect(match).toMatchObject({ setName: "vicuna-80", itemId: "1", kind: "similar" });
    expect(match!.score).toBeGreaterThanOrEqual(0.7);
  });

  it("leaves unrelated instructions and a 12-word overlap alone", () => {
    expect(index.check("Compose a limerick about a cat who learns to code.")).toBeNull();
    // 12 consecutive words of item 17, embedded in a long unrelated text: below 13, and ROUGE-L is low.
    const twelve = "a list of integers and returns the second largest value without sorting";
    const long = `In our warehouse report, the clerk ${twelve} errors in the ledger after the audit of all the stores in the northern region last winter.`;
    expect(index.check(long)).toBeNull();
    expect(createContaminationIndex(items, { ngram: 12 }).check(long)?.kind).toBe("ngram");
  });

  it("rejects bad settings", () => {
    expect(() => createContaminationIndex(items, { ngram: 0 })).toThrow(RangeError);
    expect(() => createContaminationIndex(items, { threshold: 0 })).toThrow(RangeError);
  });
});

describe("contamination report", () => {
  it("words the reason with the set and item, and counts per set", () => {
    const index = createContaminationIndex(items);
    const a = index.check("How can I improve my time management skills?")!;
    const b = index.check("How can I improve my time management skills quickly?")!;
    expect(contaminationReason(a)).toContain("item 1 of the evaluation set vicuna-80");
    expect(summarizeContamination([a, b])).toEqual([
      { setName: "vicuna-80", dropped: 2, ngramMatches: 0, similarMatches: 2, items: 1 },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { createNearDuplicateIndex, nearDuplicateReason, screenBatch } from "./near-duplicates";
import { rougeL, similarityTokens } from "./similarity";

describe("rougeL", () => {
  it("scores the longest common subsequence of words as rouge_score does", () => {
    // LCS("the cat sat on the mat", "the cat lay on a mat") = the cat on mat (4); P = R = 4/6.
    expect(rougeL("The cat sat on the mat.", "the cat lay on a MAT")).toBeCloseTo(4 / 6, 6);
    expect(rougeL("Write a poem", "write a poem!")).toBe(1);
    expect(rougeL("alpha beta", "gamma delta")).toBe(0);
    expect(rougeL("", "anything")).toBe(0);
    expect(similarityTokens("Don't stop—now!")).toEqual(["don", "t", "stop", "now"]);
  });
});

describe("createNearDuplicateIndex", () => {
  const earlier = "Write a short poem about the ocean at night for a children's book.";
  const reworded = "Write a short poem about the ocean at night for a children's picture book.";
  const different = "Explain how a hash map handles collisions, with an example in Python.";

  it("finds an earlier instruction at or above the threshold and names it", () => {
    const index = createNearDuplicateIndex(0.7, [{ id: 11, text: earlier }]);
    const match = index.findTwin(reworded);
    expect(match?.twinId).toBe(11);
    expect(match?.twinText).toBe(earlier);
    expect(match!.score).toBeGreaterThanOrEqual(0.7);
    expect(match!.score).toBeCloseTo(rougeL(reworded, earlier), 9);
    expect(index.findTwin(different)).toBeNull();
  });

  it("uses the threshold as set: 1 catches only the same words in the same order", () => {
    const strict = createNearDuplicateIndex(1, [{ id: 1, text: earlier }]);
    expect(strict.findTwin(reworded)).toBeNull();
    expect(strict.findTwin(`  ${earlier.toUpperCase()} `)?.twinId).toBe(1);
    expect(() => createNearDuplicateIndex(0)).toThrow(RangeError);
    expect(() => createNearDuplicateIndex(1.2)).toThrow(RangeError);
  });

  it("never compares an instruction with its own group (a rewrite and its ancestors)", () => {
    const index = createNearDuplicateIndex(0.7, [{ id: 1, text: earlier, group: 1 }]);
    expect(index.findTwin(reworded, 1)).toBeNull();
    expect(index.findTwin(reworded, 2)?.twinId).toBe(1);
  });

  it("picks the most similar twin when several pass", () => {
    const index = createNearDuplicateIndex(0.5, [
      { id: 1, text: "Write a short poem about the sea." },
      { id: 2, text: "Write a short poem about the ocean at night for a book." },
    ]);
    expect(index.findTwin(reworded)?.twinId).toBe(2);
  });
});

describe("screenBatch", () => {
  it("drops near-duplicates of stored and of earlier texts in the same batch, adding the kept ones", () => {
    const index = createNearDuplicateIndex(0.7, [
      { id: 5, text: "Summarise this news article in three bullet points." },
    ]);
    const verdicts = screenBatch(index, [
      "Summarize this news article in three bullet points.",
      "Plan a three-day trip to Kyoto on a student budget.",
      "Plan a three-day trip to Kyoto on a tight student budget.",
      "Translate the following paragraph into French.",
    ]);
    // One word of eight differs ("Summarise"/"Summarize"): ROUGE-L 7/8 = 0.875 ≥ 0.7.
    expect(verdicts.map((verdict) => verdict.duplicate)).toEqual([true, false, true, false]);
    const first = verdicts[0]!;
    expect(first.duplicate && first.match.twinId).toBe(5);
    expect(first.duplicate && first.match.score).toBeCloseTo(0.875, 9);
    expect(first.duplicate && first.twinInBatch).toBe(false);
    const third = verdicts[2]!;
    expect(third.duplicate && third.twinInBatch).toBe(true);
    expect(third.duplicate && third.match.twinText).toBe(
      "Plan a three-day trip to Kyoto on a student budget.",
    );
    expect(index.size).toBe(3);
  });

  it("states the score, the threshold and the twin in the review reason", () => {
    const reason = nearDuplicateReason({ twinId: 3, twinText: "Write a haiku.", score: 0.8123 }, 0.7);
    expect(reason).toBe("Near-duplicate (ROUGE-L 0.81 ≥ 0.7) of an earlier instruction: “Write a haiku.”");
  });
});

import { describe, expect, it } from "vitest";
import {
  buildJudgePrompt,
  buildJudgePromptsBothOrders,
  combineBothOrders,
  decideByGap,
  judgeScoresSchema,
  keptAnswerFor,
} from "./filter";

const decide = (gap: number, iteration = 1, maxIterations = 4) =>
  decideByGap({ gap, theta: 3, iteration, maxIterations });

describe("decideByGap", () => {
  it("uses strict inequalities around +θ", () => {
    expect(decide(3.5)).toBe("keep_strong");
    expect(decide(3.05)).toBe("keep_strong");
    expect(decide(3)).toBe("next_iteration");
    expect(decide(2.5)).toBe("next_iteration");
  });

  it("treats |G| = θ as equal without floating-point error (4.4 − 1.4 is 3.0000000000000004 in floats)", () => {
    const scores = { assistant_1_score: 4.4, assistant_2_score: 1.4 };
    const swapped = { assistant_1_score: 1.4, assistant_2_score: 4.4 };
    const combined = combineBothOrders({ orderA: scores, orderB: swapped });
    expect(combined.gap).toBeGreaterThan(3); // the float itself is off
    expect(decideByGap({ gap: combined.gap, theta: 3, iteration: 1, maxIterations: 4 })).toBe(
      "next_iteration",
    );
    const reversed = combineBothOrders({ orderA: swapped, orderB: scores });
    expect(decideByGap({ gap: reversed.gap, theta: 3, iteration: 4, maxIterations: 4 })).toBe("drop");
    // One twentieth above θ is a gap.
    expect(decideByGap({ gap: 3.05, theta: 3, iteration: 1, maxIterations: 4 })).toBe("keep_strong");
    expect(decideByGap({ gap: -3.05, theta: 3, iteration: 1, maxIterations: 4 })).toBe("keep_target");
  });

  it("keeps the target answer when G < −θ", () => {
    expect(decide(-3.5)).toBe("keep_target");
    expect(decide(-9)).toBe("keep_target");
    expect(decide(-3)).toBe("next_iteration");
    expect(decide(0)).toBe("next_iteration");
  });

  it("sends |G| ≤ θ to the next iteration until the cap, then drops", () => {
    expect(decide(1, 1)).toBe("next_iteration");
    expect(decide(1, 3)).toBe("next_iteration");
    expect(decide(1, 4)).toBe("drop");
    expect(decide(-3, 4)).toBe("drop");
    expect(decide(3, 4)).toBe("drop");
  });

  it("still keeps at the last iteration when the gap is large", () => {
    expect(decide(4, 4)).toBe("keep_strong");
    expect(decide(-4, 4)).toBe("keep_target");
  });

  it("with maxIterations 1 the basic instruction is the only chance", () => {
    expect(decide(0, 1, 1)).toBe("drop");
    expect(decide(5, 1, 1)).toBe("keep_strong");
  });

  it("rejects nonsense inputs", () => {
    expect(() => decide(Number.NaN)).toThrow(RangeError);
    expect(() => decide(1, 0)).toThrow(RangeError);
    expect(() => decideByGap({ gap: 1, theta: -1, iteration: 1, maxIterations: 4 })).toThrow(RangeError);
  });

  it("maps decisions to the kept answer", () => {
    expect(keptAnswerFor("keep_strong")).toBe("strong");
    expect(keptAnswerFor("keep_target")).toBe("target");
    expect(keptAnswerFor("next_iteration")).toBeNull();
    expect(keptAnswerFor("drop")).toBeNull();
  });
});

describe("combineBothOrders", () => {
  it("maps swapped positions back to the models before averaging", () => {
    // Order A: strong is Assistant 1. Order B: target is Assistant 1.
    const combined = combineBothOrders({
      orderA: { assistant_1_score: 9, assistant_2_score: 4 },
      orderB: { assistant_1_score: 6, assistant_2_score: 8 },
    });
    expect(combined).toEqual({
      strongScoreOrderA: 9,
      targetScoreOrderA: 4,
      strongScoreOrderB: 8,
      targetScoreOrderB: 6,
      strongScore: 8.5,
      targetScore: 5,
      gap: 3.5,
    });
  });

  it("cancels a pure position bias", () => {
    // The judge always prefers Assistant 1 by 4 points: no real difference.
    const combined = combineBothOrders({
      orderA: { assistant_1_score: 9, assistant_2_score: 5 },
      orderB: { assistant_1_score: 9, assistant_2_score: 5 },
    });
    expect(combined.gap).toBe(0);
    expect(decide(combined.gap)).toBe("next_iteration");
  });

  it("yields a negative gap when the target is better in both orders", () => {
    const combined = combineBothOrders({
      orderA: { assistant_1_score: 3, assistant_2_score: 8 },
      orderB: { assistant_1_score: 9, assistant_2_score: 2 },
    });
    expect(combined.gap).toBe(-6);
    expect(decide(combined.gap)).toBe("keep_target");
  });
});

describe("buildJudgePrompt", () => {
  it("lays out the question and both answers in the Vicuna template, in the given order", () => {
    const spec = buildJudgePrompt("What is 2+2?", "ANSWER-ONE", "ANSWER-TWO");
    const user = spec.messages.find((m) => m.role === "user")!.content;
    expect(user).toContain("What is 2+2?");
    expect(user.indexOf("[The Start of Assistant 1's Answer]\nANSWER-ONE")).toBeGreaterThan(-1);
    expect(user.indexOf("ANSWER-ONE")).toBeLessThan(user.indexOf("ANSWER-TWO"));
    expect(user).toContain("helpfulness, relevance, accuracy, level of details");
    expect(user).toContain("scale of 1 to 10");
    expect(user).toMatch(/order in which the responses were presented does not affect/);
    expect(spec.version).toBe("filter-judge@1");
  });

  it("both-orders helper puts the strong answer first in order A and second in order B", () => {
    const { orderA, orderB } = buildJudgePromptsBothOrders("Q", "STRONG", "TARGET");
    const a = orderA.messages.at(-1)!.content;
    const b = orderB.messages.at(-1)!.content;
    expect(a.indexOf("STRONG")).toBeLessThan(a.indexOf("TARGET"));
    expect(b.indexOf("TARGET")).toBeLessThan(b.indexOf("STRONG"));
  });

  it("schema accepts 1–10 scores and rejects others", () => {
    expect(judgeScoresSchema.safeParse({ assistant_1_score: 7.5, assistant_2_score: 1 }).success).toBe(true);
    expect(judgeScoresSchema.safeParse({ assistant_1_score: 0, assistant_2_score: 5 }).success).toBe(false);
    expect(judgeScoresSchema.safeParse({ assistant_1_score: 11, assistant_2_score: 5 }).success).toBe(false);
    expect(judgeScoresSchema.safeParse({ assistant_1_score: "8", assistant_2_score: 5 }).success).toBe(false);
    expect(judgeScoresSchema.safeParse({ assistant_1_score: 8 }).success).toBe(false);
  });
});

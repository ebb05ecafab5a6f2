import { describe, expect, it } from "vitest";
import {
  bootstrapCrrInterval,
  buildEvalJudgePrompt,
  countOutcomes,
  crr,
  evalJudgeOutputSchema,
  outcomeBothOrders,
  type EvalOutcome,
} from "./evaluate";
import { createRng } from "./random";

const scores = (first: number, second: number) => ({ assistant_1_score: first, assistant_2_score: second });

describe("outcomeBothOrders (order A: target first; order B: reference first)", () => {
  // Per order, the target either wins (>), ties (=) or loses (<).
  const orderAFor = { win: scores(8, 6), tie: scores(7, 7), loss: scores(5, 9) };
  const orderBFor = { win: scores(6, 8), tie: scores(7, 7), loss: scores(9, 5) };
  const expected: Record<string, EvalOutcome> = {
    "win/win": "win",
    "win/tie": "tie",
    "win/loss": "tie",
    "tie/win": "tie",
    "tie/tie": "tie",
    "tie/loss": "tie",
    "loss/win": "tie",
    "loss/tie": "tie",
    "loss/loss": "loss",
  };
  for (const [pair, outcome] of Object.entries(expected)) {
    it(`${pair} → ${outcome}`, () => {
      const [a, b] = pair.split("/") as Array<keyof typeof orderAFor>;
      expect(outcomeBothOrders(orderAFor[a!], orderBFor[b!])).toBe(outcome);
    });
  }

  it("reads positions correctly: a judge always preferring Assistant 1 gives a tie", () => {
    expect(outcomeBothOrders(scores(9, 3), scores(9, 3))).toBe("tie");
  });
});

describe("crr", () => {
  it("matches the paper's Table 5 (Evol-Instruct, 218 instructions)", () => {
    expect(crr({ wins: 29, ties: 145, losses: 44 })! * 100).toBeCloseTo(79.82, 2);
    expect(crr({ wins: 35, ties: 154, losses: 29 })! * 100).toBeCloseTo(86.7, 2);
    expect(crr({ wins: 17, ties: 140, losses: 61 })! * 100).toBeCloseTo(72.02, 2);
  });

  it("is null with no comparisons and counts outcomes", () => {
    expect(crr({ wins: 0, ties: 0, losses: 0 })).toBeNull();
    expect(countOutcomes(["win", "tie", "tie", "loss"])).toEqual({ wins: 1, ties: 2, losses: 1 });
  });
});

const table5Outcomes = (wins: number, ties: number, losses: number): EvalOutcome[] => [
  ...Array<EvalOutcome>(wins).fill("win"),
  ...Array<EvalOutcome>(ties).fill("tie"),
  ...Array<EvalOutcome>(losses).fill("loss"),
];

describe("bootstrapCrrInterval", () => {
  it("contains the point estimate", () => {
    const outcomes = table5Outcomes(29, 145, 44);
    const interval = bootstrapCrrInterval(outcomes, { rng: createRng(1) })!;
    expect(interval.estimate).toBeCloseTo(174 / 218, 10);
    expect(interval.low).toBeLessThan(interval.estimate);
    expect(interval.high).toBeGreaterThan(interval.estimate);
    // Binomial standard error at n = 218 is about 2.7 points: the 95% interval spans roughly ±5.3.
    expect(interval.high - interval.low).toBeGreaterThan(0.07);
    expect(interval.high - interval.low).toBeLessThan(0.14);
  });

  it("narrows with more data", () => {
    const small = bootstrapCrrInterval(table5Outcomes(29, 145, 44), { rng: createRng(2) })!;
    const large = bootstrapCrrInterval(table5Outcomes(290, 1450, 440), { rng: createRng(2) })!;
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 2);
  });

  it("is reproducible with the same seed and null without outcomes", () => {
    const outcomes = table5Outcomes(5, 10, 5);
    expect(bootstrapCrrInterval(outcomes, { rng: createRng(9) })).toEqual(
      bootstrapCrrInterval(outcomes, { rng: createRng(9) }),
    );
    expect(bootstrapCrrInterval([], { rng: createRng(9) })).toBeNull();
  });

  it("widens with higher confidence", () => {
    const outcomes = table5Outcomes(29, 145, 44);
    const narrow = bootstrapCrrInterval(outcomes, { rng: createRng(4), confidence: 0.5 })!;
    const wide = bootstrapCrrInterval(outcomes, { rng: createRng(4), confidence: 0.99 })!;
    expect(wide.high - wide.low).toBeGreaterThan(narrow.high - narrow.low);
  });
});

describe("buildEvalJudgePrompt", () => {
  it("includes the question, both answers, and asks for scores then an explanation", () => {
    const spec = buildEvalJudgePrompt("Name a prime.", "Seven.", "Nine.");
    const user = spec.messages.at(-1)!.content;
    expect(user).toContain("Name a prime.");
    expect(user.indexOf("Seven.")).toBeLessThan(user.indexOf("Nine."));
    expect(user).toMatch(/explanation/);
    expect(spec.messages[0]!.role).toBe("system");
  });

  it("schema requires both scores and the explanation", () => {
    expect(evalJudgeOutputSchema.safeParse({ ...scores(8, 6), explanation: "ok" }).success).toBe(true);
    expect(evalJudgeOutputSchema.safeParse(scores(8, 6)).success).toBe(false);
    expect(evalJudgeOutputSchema.safeParse({ ...scores(8, 12), explanation: "" }).success).toBe(false);
  });
});

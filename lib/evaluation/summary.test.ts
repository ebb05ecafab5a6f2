import { describe, expect, it } from "vitest";
import type { EvalOutcome } from "@/lib/codeclm/evaluate";
import {
  compareCrr,
  formatCrr,
  formatCrrPoints,
  summarizeByCategory,
  summarizeOutcomes,
  UNCATEGORIZED,
  type OutcomeRow,
} from "./summary";

const rows = (category: string | null, counts: { win?: number; tie?: number; loss?: number }): OutcomeRow[] =>
  (["win", "tie", "loss"] as const).flatMap((outcome) =>
    Array.from({ length: counts[outcome] ?? 0 }, () => ({ category, outcome })),
  );

describe("summarizeByCategory", () => {
  it("counts W/T/L and CRR per category, sorted by name", () => {
    const summary = summarizeByCategory([
      ...rows("writing", { win: 1, tie: 6, loss: 3 }),
      ...rows("coding", { tie: 2, loss: 5 }),
      ...rows("math", { win: 3 }),
    ]);
    expect(summary).toEqual([
      { category: "coding", wins: 0, ties: 2, losses: 5, total: 7, crr: 2 / 7 },
      { category: "math", wins: 3, ties: 0, losses: 0, total: 3, crr: 1 },
      { category: "writing", wins: 1, ties: 6, losses: 3, total: 10, crr: 0.7 },
    ]);
  });

  it("is empty when the set has no categories, and groups stray uncategorized instructions", () => {
    expect(summarizeByCategory(rows(null, { win: 2, loss: 1 }))).toEqual([]);
    const mixed = summarizeByCategory([...rows("generic", { tie: 1 }), ...rows(null, { loss: 1 })]);
    expect(mixed.map((row) => [row.category, row.crr])).toEqual([
      [UNCATEGORIZED, 0],
      ["generic", 1],
    ]);
  });

  it("per-category counts add up to the totals", () => {
    const all = [...rows("a", { win: 4, tie: 9, loss: 2 }), ...rows("b", { win: 1, tie: 3, loss: 8 })];
    const overall = summarizeOutcomes(all, { seed: 1, iterations: 200 });
    const sum = (key: "wins" | "ties" | "losses" | "total") =>
      overall.byCategory.reduce((total, row) => total + row[key], 0);
    expect([sum("wins"), sum("ties"), sum("losses"), sum("total")]).toEqual([
      overall.wins,
      overall.ties,
      overall.losses,
      overall.total,
    ]);
  });
});

describe("summarizeOutcomes", () => {
  it("reproduces the paper's CodecLM 7B Evol-Instruct row: 29/145/44 of 218 → 79.82%", () => {
    const summary = summarizeOutcomes(rows("x", { win: 29, tie: 145, loss: 44 }), { seed: 42 });
    expect(summary).toMatchObject({ wins: 29, ties: 145, losses: 44, total: 218 });
    expect(formatCrr(summary.crr)).toBe("79.82%");
    expect(summary.interval!.low).toBeLessThan(summary.crr!);
    expect(summary.interval!.high).toBeGreaterThan(summary.crr!);
    // About ±1.96·sqrt(p(1−p)/n) ≈ ±5.3 points for p = 0.8, n = 218.
    expect(summary.interval!.high - summary.interval!.low).toBeGreaterThan(0.08);
    expect(summary.interval!.high - summary.interval!.low).toBeLessThan(0.13);
  });

  it("is reproducible for a seed and has no CRR without outcomes", () => {
    const outcomes = rows(null, { win: 3, tie: 10, loss: 7 });
    expect(summarizeOutcomes(outcomes, { seed: 5 }).interval).toEqual(
      summarizeOutcomes(outcomes, { seed: 5 }).interval,
    );
    expect(summarizeOutcomes([], { seed: 5 })).toMatchObject({
      total: 0,
      crr: null,
      interval: null,
      byCategory: [],
    });
  });
});

describe("compareCrr (paired)", () => {
  const pair = (a: EvalOutcome, b: EvalOutcome, count: number) =>
    Array.from({ length: count }, () => ({ a, b }));

  it("gives the CRR difference over paired instructions, e.g. Self-Instruct 157/218 → CodecLM 174/218 = +7.80 pts", () => {
    // 157 recovered by both, 17 only by b, 44 by neither.
    const pairs = [...pair("tie", "tie", 157), ...pair("loss", "win", 17), ...pair("loss", "loss", 44)];
    const difference = compareCrr(pairs, { seed: 3 })!;
    expect(difference.paired).toBe(218);
    expect(formatCrrPoints(difference.difference)).toBe("+7.80 pts");
    // Every resample moves b up or not at all: the interval stays at or above 0.
    expect(difference.low).toBeGreaterThan(0);
    expect(difference.high).toBeGreaterThan(difference.difference);
  });

  it("is zero with a degenerate interval when both evaluations agree on every instruction", () => {
    expect(compareCrr(pair("win", "tie", 20), { seed: 1 })).toEqual({
      paired: 20,
      difference: 0,
      low: 0,
      high: 0,
    });
    expect(compareCrr([], { seed: 1 })).toBeNull();
  });

  it("is negative when b recovers less", () => {
    const difference = compareCrr([...pair("tie", "loss", 10), ...pair("tie", "tie", 30)], { seed: 9 })!;
    expect(difference.difference).toBeCloseTo(-0.25);
    expect(formatCrrPoints(difference.difference)).toBe("−25.00 pts");
    expect(difference.high).toBeLessThan(0);
  });
});

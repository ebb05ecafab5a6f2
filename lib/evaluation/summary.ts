// An evaluation's figures from its per-instruction outcomes: W/T/L, CRR (paper §3) with its 95% bootstrap
// interval, the same per category, and the CRR difference between two evaluations of the same set with a paired
// bootstrap interval. Pure: the bootstrap's random stream comes from a seed, so a report never changes on reload.
import {
  bootstrapCrrInterval,
  countOutcomes,
  crr,
  type CrrInterval,
  type EvalOutcome,
  type OutcomeCounts,
} from "@/lib/codeclm/evaluate";
import { deriveRng } from "@/lib/codeclm/random";

export const BOOTSTRAP_ITERATIONS = 2000;
/** Instructions without a category, in a set where others have one. */
export const UNCATEGORIZED = "(no category)";

export interface OutcomeRow {
  category: string | null;
  outcome: EvalOutcome;
}

export interface CategorySummary extends OutcomeCounts {
  category: string;
  total: number;
  crr: number;
}

export interface CrrSummary extends OutcomeCounts {
  total: number;
  /** A fraction in [0, 1]; null with no judged instruction. */
  crr: number | null;
  interval: CrrInterval | null;
  /** Empty when the set has no categories. Sorted by category name. */
  byCategory: CategorySummary[];
}

/** W/T/L and CRR per category; [] when no instruction has a category. */
export function summarizeByCategory(rows: readonly OutcomeRow[]): CategorySummary[] {
  if (!rows.some((row) => row.category !== null)) return [];
  const groups = new Map<string, EvalOutcome[]>();
  for (const row of rows) {
    const key = row.category ?? UNCATEGORIZED;
    let outcomes = groups.get(key);
    if (!outcomes) groups.set(key, (outcomes = []));
    outcomes.push(row.outcome);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, outcomes]) => {
      const counts = countOutcomes(outcomes);
      return { category, ...counts, total: outcomes.length, crr: crr(counts)! };
    });
}

/** The whole summary; `seed` fixes the bootstrap's resampling (use the evaluation id). */
export function summarizeOutcomes(
  rows: readonly OutcomeRow[],
  options: { seed: number; iterations?: number },
): CrrSummary {
  const outcomes = rows.map((row) => row.outcome);
  const counts = countOutcomes(outcomes);
  return {
    ...counts,
    total: outcomes.length,
    crr: crr(counts),
    interval: bootstrapCrrInterval(outcomes, {
      rng: deriveRng(options.seed, "crr-bootstrap"),
      iterations: options.iterations ?? BOOTSTRAP_ITERATIONS,
    }),
    byCategory: summarizeByCategory(rows),
  };
}

export interface CrrDifference {
  /** Instructions judged in both evaluations: the difference is over these only. */
  paired: number;
  /** CRR(b) − CRR(a) over the paired instructions, as a fraction. */
  difference: number;
  low: number;
  high: number;
}

/**
 * CRR(b) − CRR(a) on the instructions both evaluations judged, with a paired percentile bootstrap (the same
 * resampled instructions for both), which is narrower than two independent intervals. Null with no pairs.
 */
export function compareCrr(
  pairs: readonly { a: EvalOutcome; b: EvalOutcome }[],
  options: { seed: number; iterations?: number; confidence?: number },
): CrrDifference | null {
  const n = pairs.length;
  if (n === 0) return null;
  const iterations = options.iterations ?? BOOTSTRAP_ITERATIONS;
  const confidence = options.confidence ?? 0.95;
  // Per instruction: +1 when only b recovers, −1 when only a does, 0 otherwise.
  const deltas = pairs.map(({ a, b }) => Number(b !== "loss") - Number(a !== "loss"));
  const rng = deriveRng(options.seed, "crr-difference");
  const samples = new Float64Array(iterations);
  for (let iteration = 0; iteration < iterations; iteration++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += deltas[rng.nextInt(n)]!;
    samples[iteration] = sum / n;
  }
  samples.sort();
  const alpha = (1 - confidence) / 2;
  return {
    paired: n,
    difference: deltas.reduce((sum, delta) => sum + delta, 0) / n,
    low: quantile(samples, alpha),
    high: quantile(samples, 1 - alpha),
  };
}

/** Type-7 quantile of sorted values (as the CRR interval uses). */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] ?? 0;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? 0;
  return lower + (upper - lower) * (position - below);
}

/** "79.82%" — the paper prints CRR ×100 with two decimals. */
export function formatCrr(value: number | null | undefined): string {
  return value === null || value === undefined ? "—" : `${(value * 100).toFixed(2)}%`;
}

/** "+7.80 pts" for a difference of two CRRs. */
export function formatCrrPoints(value: number): string {
  const points = value * 100;
  return `${points > 0 ? "+" : points < 0 ? "−" : "±"}${Math.abs(points).toFixed(2)} pts`;
}

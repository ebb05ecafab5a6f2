// Evaluation (paper §3, Fig. 12): a judge compares the fine-tuned target's answer with the strong (reference)
// model's in both orders. A target answer wins only if it wins in both orders, loses only if it loses in both;
// anything else, equal scores included, is a tie. CRR = (wins + ties) / total.
import { z } from "zod";
import { assertIntegerAtLeast } from "./checks";
import {
  PAIRWISE_BIAS_WARNING,
  PAIRWISE_RATING_REQUEST,
  PAIRWISE_SYSTEM_PROMPT,
  formatPairwiseAnswers,
} from "./pairwise-template";
import type { PromptSpec } from "./prompt-types";
import type { Rng } from "./random";

export const EVAL_JUDGE_PROMPT_NAME = "eval-judge";
export const EVAL_JUDGE_PROMPT_VERSION = "eval-judge@1";

const score = z.number().min(1).max(10);
export const evalJudgeOutputSchema = z.object({
  assistant_1_score: score,
  assistant_2_score: score,
  explanation: z.string(),
});
export type EvalJudgeOutput = z.infer<typeof evalJudgeOutputSchema>;
type PairScores = Pick<EvalJudgeOutput, "assistant_1_score" | "assistant_2_score">;

/** Fig. 12: scores first (the paper's first line), then a comprehensive explanation. */
export function buildEvalJudgePrompt(
  question: string,
  answer1: string,
  answer2: string,
): PromptSpec<EvalJudgeOutput> {
  const request = [
    PAIRWISE_RATING_REQUEST,
    "Please first give the two scores, for Assistant 1 and Assistant 2 respectively. Then provide a " +
      "comprehensive explanation of your evaluation.",
    PAIRWISE_BIAS_WARNING,
    "",
    'Answer with a JSON object: {"assistant_1_score": <1-10>, "assistant_2_score": <1-10>, ' +
      '"explanation": "<your explanation>"}.',
  ].join("\n");
  return {
    name: EVAL_JUDGE_PROMPT_NAME,
    version: EVAL_JUDGE_PROMPT_VERSION,
    messages: [
      { role: "system", content: PAIRWISE_SYSTEM_PROMPT },
      {
        role: "user",
        content: `${formatPairwiseAnswers(question, answer1, answer2)}\n\n[System]\n${request}`,
      },
    ],
    schema: evalJudgeOutputSchema,
  };
}

export type EvalOutcome = "win" | "tie" | "loss";

/** Order A shows the target's answer first, order B the reference's first. */
export function outcomeBothOrders(orderA: PairScores, orderB: PairScores): EvalOutcome {
  const targetA = orderA.assistant_1_score;
  const referenceA = orderA.assistant_2_score;
  const referenceB = orderB.assistant_1_score;
  const targetB = orderB.assistant_2_score;
  if (targetA > referenceA && targetB > referenceB) return "win";
  if (targetA < referenceA && targetB < referenceB) return "loss";
  return "tie";
}

export type OutcomeCounts = { wins: number; ties: number; losses: number };

export function countOutcomes(outcomes: readonly EvalOutcome[]): OutcomeCounts {
  const counts = { wins: 0, ties: 0, losses: 0 };
  for (const outcome of outcomes) {
    if (outcome === "win") counts.wins++;
    else if (outcome === "tie") counts.ties++;
    else counts.losses++;
  }
  return counts;
}

/** Capacity Recovery Ratio as a fraction in [0, 1] (the paper prints it ×100); null with no comparisons. */
export function crr(counts: OutcomeCounts): number | null {
  const total = counts.wins + counts.ties + counts.losses;
  return total === 0 ? null : (counts.wins + counts.ties) / total;
}

export type CrrInterval = { estimate: number; low: number; high: number };

/**
 * Percentile bootstrap over instructions: resample the outcomes with replacement `iterations` times and take
 * the (1 ± confidence)/2 quantiles of the resampled CRRs (linear interpolation). Null with no outcomes.
 */
export function bootstrapCrrInterval(
  outcomes: readonly EvalOutcome[],
  options: { rng: Rng; iterations?: number; confidence?: number },
): CrrInterval | null {
  const iterations = options.iterations ?? 2000;
  const confidence = options.confidence ?? 0.95;
  assertIntegerAtLeast("iterations", iterations, 1);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`confidence must be in (0, 1)`);
  const n = outcomes.length;
  if (n === 0) return null;
  const recovered = outcomes.map((outcome) => outcome !== "loss");
  const samples = new Float64Array(iterations);
  for (let b = 0; b < iterations; b++) {
    let count = 0;
    for (let i = 0; i < n; i++) if (recovered[options.rng.nextInt(n)]) count++;
    samples[b] = count / n;
  }
  samples.sort();
  const alpha = (1 - confidence) / 2;
  return {
    estimate: recovered.filter(Boolean).length / n,
    low: quantile(samples, alpha),
    high: quantile(samples, 1 - alpha),
  };
}

/** Type-7 quantile of sorted values. */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const lower = sorted[below] ?? 0;
  const upper = sorted[above] ?? 0;
  return lower + (upper - lower) * (position - below);
}

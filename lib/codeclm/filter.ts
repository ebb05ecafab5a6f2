// Contrastive Filtering (paper §4.3, Fig. 11): the strong LLM scores its own answer and the target's, in both
// orders (position bias), averages, and routes the instruction by the gap G = S(strong) − S(target):
// G > θ keeps the strong answer, G < −θ keeps the target's, otherwise the instruction goes to the next
// Self-Rubrics iteration, or is dropped after the last one.
import { z } from "zod";
import { assertIntegerAtLeast } from "./checks";
import {
  PAIRWISE_BIAS_WARNING,
  PAIRWISE_RATING_REQUEST,
  PAIRWISE_SYSTEM_PROMPT,
  formatPairwiseAnswers,
} from "./pairwise-template";
import type { PromptSpec } from "./prompt-types";

export const FILTER_JUDGE_PROMPT_NAME = "filter-judge";
export const FILTER_JUDGE_PROMPT_VERSION = "filter-judge@1";
export const DEFAULT_GAP_THRESHOLD = 3;
export const DEFAULT_MAX_ITERATIONS = 4;

const score = z.number().min(1).max(10);
export const judgeScoresSchema = z.object({ assistant_1_score: score, assistant_2_score: score });
export type JudgeScores = z.infer<typeof judgeScoresSchema>;

/** Fig. 11: the Vicuna pairwise prompt without the explanation; scores only. */
export function buildJudgePrompt(
  instruction: string,
  answer1: string,
  answer2: string,
): PromptSpec<JudgeScores> {
  const request = [
    PAIRWISE_RATING_REQUEST,
    "Please output only the two scores, for Assistant 1 and Assistant 2 respectively, without any explanation.",
    PAIRWISE_BIAS_WARNING,
    "",
    'Answer with a JSON object: {"assistant_1_score": <1-10>, "assistant_2_score": <1-10>}.',
  ].join("\n");
  return {
    name: FILTER_JUDGE_PROMPT_NAME,
    version: FILTER_JUDGE_PROMPT_VERSION,
    messages: [
      { role: "system", content: PAIRWISE_SYSTEM_PROMPT },
      {
        role: "user",
        content: `${formatPairwiseAnswers(instruction, answer1, answer2)}\n\n[System]\n${request}`,
      },
    ],
    schema: judgeScoresSchema,
  };
}

/** The two judge calls: order A shows the strong answer first, order B the target answer first. */
export function buildJudgePromptsBothOrders(
  instruction: string,
  strongAnswer: string,
  targetAnswer: string,
): { orderA: PromptSpec<JudgeScores>; orderB: PromptSpec<JudgeScores> } {
  return {
    orderA: buildJudgePrompt(instruction, strongAnswer, targetAnswer),
    orderB: buildJudgePrompt(instruction, targetAnswer, strongAnswer),
  };
}

export type CombinedScores = {
  strongScoreOrderA: number;
  targetScoreOrderA: number;
  strongScoreOrderB: number;
  targetScoreOrderB: number;
  /** Mean of the strong answer's two scores. */
  strongScore: number;
  targetScore: number;
  /** G = strongScore − targetScore. */
  gap: number;
};

/** Maps positions back to models (A: strong is Assistant 1; B: target is Assistant 1) and averages. */
export function combineBothOrders(scores: { orderA: JudgeScores; orderB: JudgeScores }): CombinedScores {
  const strongScoreOrderA = scores.orderA.assistant_1_score;
  const targetScoreOrderA = scores.orderA.assistant_2_score;
  const targetScoreOrderB = scores.orderB.assistant_1_score;
  const strongScoreOrderB = scores.orderB.assistant_2_score;
  const strongScore = (strongScoreOrderA + strongScoreOrderB) / 2;
  const targetScore = (targetScoreOrderA + targetScoreOrderB) / 2;
  return {
    strongScoreOrderA,
    targetScoreOrderA,
    strongScoreOrderB,
    targetScoreOrderB,
    strongScore,
    targetScore,
    gap: strongScore - targetScore,
  };
}

export type FilterDecision = "keep_strong" | "keep_target" | "next_iteration" | "drop";

/**
 * The gap and θ as whole twentieths: judge scores come in tenths (at most), so the mean of two orders is a
 * multiple of 0.05 and this is exact, where floating point made 4.4 − 1.4 = 3.0000000000000004 > 3.
 */
export function inTwentieths(value: number): number {
  return Math.round(value * 20);
}

/**
 * Strict inequalities as in the paper: |G| = θ is "similar quality", compared in integer twentieths (no
 * floating-point error). Iteration 1 is the basic instruction, so with maxIterations 4 there are up to 3
 * Self-Rubrics rewrites; an undecided last iteration is dropped.
 */
export function decideByGap(options: {
  gap: number;
  theta: number;
  iteration: number;
  maxIterations: number;
}): FilterDecision {
  const { gap, theta, iteration, maxIterations } = options;
  if (!Number.isFinite(gap)) throw new RangeError(`gap must be a finite number, got ${gap}`);
  if (!Number.isFinite(theta) || theta < 0) throw new RangeError(`theta must be ≥ 0, got ${theta}`);
  assertIntegerAtLeast("iteration", iteration, 1);
  assertIntegerAtLeast("maxIterations", maxIterations, 1);
  const g = inTwentieths(gap);
  const t = inTwentieths(theta);
  if (g > t) return "keep_strong";
  if (g < -t) return "keep_target";
  return iteration < maxIterations ? "next_iteration" : "drop";
}

/** Which answer enters the dataset under a decision; null when none does. */
export function keptAnswerFor(decision: FilterDecision): "strong" | "target" | null {
  if (decision === "keep_strong") return "strong";
  if (decision === "keep_target") return "target";
  return null;
}

"use server";

import { getDb } from "@/lib/db/client";
import { getProjectOrThrow } from "@/lib/db/projects";
import {
  bulkReview,
  countHandDecisions,
  reviewItems,
  undoLastReview,
  type ReviewResult,
} from "@/lib/db/review-decisions";
import { AppError, runAction, type ActionResult } from "@/lib/errors";
import { parseInputOrThrow } from "@/lib/schemas/form-errors";
import {
  bulkReviewSchema,
  countHandDecisionsSchema,
  reviewItemsSchema,
  undoReviewSchema,
} from "@/lib/schemas/review";

/** Accept, reject, clear, edit the instruction or the kept answer, or add a note, on versions of one project. */
export async function reviewItemsAction(input: unknown): Promise<ActionResult<ReviewResult>> {
  return runAction(async () => {
    const parsed = parseInputOrThrow(reviewItemsSchema, input);
    const touchesSomething =
      parsed.decision !== undefined ||
      parsed.editedText !== undefined ||
      parsed.editedAnswer !== undefined ||
      parsed.note !== undefined;
    if (!touchesSomething)
      throw new AppError("invalid_input", "Nothing to save: choose a decision, an edit or a note");
    const result = await reviewItems(getDb(), parsed);
    if (result.count === 0)
      throw new AppError("not_found", "That instruction is not in this project (it may have been deleted)");
    return result;
  });
}

/** Takes back the latest review of one version, or a whole batch (a bulk decision). */
export async function undoReviewAction(input: unknown): Promise<ActionResult<{ count: number }>> {
  return runAction(async () => undoLastReview(getDb(), parseInputOrThrow(undoReviewSchema, input)));
}

/** Matching versions decided otherwise by hand: the N of "also override N decisions made by hand". */
export async function countHandDecisionsAction(input: unknown): Promise<ActionResult<{ count: number }>> {
  return runAction(async () => {
    const parsed = parseInputOrThrow(countHandDecisionsSchema, input);
    await getProjectOrThrow(getDb(), parsed.projectId);
    return { count: await countHandDecisions(getDb(), parsed) };
  });
}

/** Accepts or rejects every version matching the filter (hand decisions only when asked); undo takes the batch back. */
export async function bulkReviewAction(
  input: unknown,
): Promise<ActionResult<{ count: number; batchId: string; keptHandDecisions: number }>> {
  return runAction(async () => {
    const parsed = parseInputOrThrow(bulkReviewSchema, input);
    await getProjectOrThrow(getDb(), parsed.projectId);
    return bulkReview(getDb(), parsed);
  });
}

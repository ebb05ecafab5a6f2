// Human review: accept / reject / edit / note, bulk decisions over a whole filter, and undo. Each action is one
// statement that updates the denormalized columns of the versions and appends a Review row holding the resulting
// state (decision, edited instruction, edited answer) plus the action's note, so undo restores the state of the
// previous Review row (or none). Every statement is scoped by project.
import { randomUUID } from "node:crypto";
import type { DbOrTx } from "@/lib/db/client";
import type { ReviewDecisionName } from "@/lib/db/review";
import { matchingCondition } from "@/lib/db/review";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReviewFilter } from "@/lib/schemas/review";

export const defaultReviewer = "local";

export interface ReviewItemsInput {
  projectId: number;
  versionIds: readonly number[];
  /** Absent: keep the current decision; null: clear it. */
  decision?: ReviewDecisionName | null;
  /** Absent: keep; null or the original text: remove the edit. */
  editedText?: string | null;
  /** An edit of the kept answer. Absent: keep; null or the original answer: remove the edit. */
  editedAnswer?: string | null;
  note?: string;
  reviewer?: string;
}

export interface ReviewResult {
  /** How many versions changed. */
  count: number;
  /** Set when more than one version was reviewed at once: undo takes them back together. */
  batchId: string | null;
}

/** Applies one review action to the given versions of the project (ids of other projects are ignored). */
export async function reviewItems(db: DbOrTx, input: ReviewItemsInput): Promise<ReviewResult> {
  const ids = [...new Set(input.versionIds)];
  if (ids.length === 0) return { count: 0, batchId: null };
  const batchId = ids.length > 1 ? randomUUID() : null;
  const setDecision = input.decision !== undefined;
  const setText = input.editedText !== undefined;
  const setAnswer = input.editedAnswer !== undefined;
  const count = await db.$executeRaw`
    WITH updated AS (
      UPDATE "InstructionVersion" v SET
        "reviewDecision" = CASE WHEN ${setDecision} THEN ${input.decision ?? null}::"ReviewDecision"
                                ELSE v."reviewDecision" END,
        "editedText" = CASE WHEN ${setText} THEN NULLIF(${input.editedText ?? null}::text, v.text)
                            ELSE v."editedText" END,
        "editedAnswer" = CASE WHEN ${setAnswer} THEN NULLIF(${input.editedAnswer ?? null}::text,
                                (SELECT r.text FROM "Response" r WHERE r."instructionVersionId" = v.id
                                   AND r.role::text = v."keptAnswer"::text))
                              ELSE v."editedAnswer" END,
        "decidedByHand" = CASE WHEN ${setDecision} THEN ${input.decision ?? null}::text IS NOT NULL
                               ELSE v."decidedByHand" END,
        "reviewRevision" = v."reviewRevision" + 1,
        "updatedAt" = now()
      WHERE v."projectId" = ${input.projectId} AND v.id = ANY(${ids}::int4[])
      RETURNING v.id, v."reviewDecision", v."editedText", v."editedAnswer"
    )
    INSERT INTO "Review" ("instructionVersionId", decision, "editedText", "editedAnswer", note, reviewer, "batchId")
    SELECT id, "reviewDecision", "editedText", "editedAnswer", ${input.note ?? null}::text,
      ${input.reviewer ?? defaultReviewer}, ${batchId}::text
    FROM updated`;
  return { count, batchId: count > 1 ? batchId : null };
}

export interface BulkReviewInput {
  projectId: number;
  filter: ReviewFilter;
  decision: ReviewDecisionName;
  /** Also change records whose other decision was made by hand (off: those are left as the reviewer set them). */
  overrideHandDecisions?: boolean;
  reviewer?: string;
}

/**
 * Sets the decision on every version matching the filter that does not have it yet, except those decided
 * otherwise by hand (unless overrideHandDecisions): one UPDATE and one INSERT … SELECT sharing a batch id,
 * whatever the number of rows. Returns how many changed and how many hand decisions were left alone.
 */
export async function bulkReview(
  db: DbOrTx,
  input: BulkReviewInput,
): Promise<{ count: number; batchId: string; keptHandDecisions: number }> {
  const batchId = randomUUID();
  const where = await matchingCondition(db, input);
  if (!where) return { count: 0, batchId, keptHandDecisions: 0 };
  const override = input.overrideHandDecisions === true;
  const count = await db.$executeRaw`
    WITH updated AS (
      UPDATE "InstructionVersion" v SET "reviewDecision" = ${input.decision}::"ReviewDecision", "decidedByHand" = false,
        "reviewRevision" = v."reviewRevision" + 1, "updatedAt" = now()
      WHERE ${where} AND v."reviewDecision" IS DISTINCT FROM ${input.decision}::"ReviewDecision"
        AND (${override} OR NOT v."decidedByHand")
      RETURNING v.id, v."editedText", v."editedAnswer"
    )
    INSERT INTO "Review" ("instructionVersionId", decision, "editedText", "editedAnswer", reviewer, "batchId", bulk)
    SELECT id, ${input.decision}::"ReviewDecision", "editedText", "editedAnswer", ${input.reviewer ?? defaultReviewer},
      ${batchId}, true
    FROM updated`;
  const keptHandDecisions = override ? 0 : await countHandDecisions(db, input);
  return { count, batchId, keptHandDecisions };
}

/** Records matching the filter whose other decision was made by hand: what "also override N" would change. */
export async function countHandDecisions(
  db: DbOrTx,
  input: Pick<BulkReviewInput, "projectId" | "filter" | "decision">,
): Promise<number> {
  const where = await matchingCondition(db, input);
  if (!where) return 0;
  const rows = await db.$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM "InstructionVersion" v
    WHERE ${where} AND v."decidedByHand" AND v."reviewDecision" IS DISTINCT FROM ${input.decision}::"ReviewDecision"`;
  return rows[0]?.count ?? 0;
}

export type UndoTarget = { projectId: number; versionId: number } | { projectId: number; batchId: string };

/**
 * Takes back the latest review of a version, or every review of a batch: those Review rows are deleted and each
 * version gets the state of its latest remaining review (none: no decision, no edits). A version reviewed again
 * after the batch keeps that later state. Returns how many versions were restored.
 */
export async function undoLastReview(db: DbOrTx, target: UndoTarget): Promise<{ count: number }> {
  const removed =
    "batchId" in target
      ? Prisma.sql`
        DELETE FROM "Review" r USING "InstructionVersion" v
        WHERE r."batchId" = ${target.batchId} AND v.id = r."instructionVersionId" AND v."projectId" = ${target.projectId}
        RETURNING r.id, r."instructionVersionId"`
      : Prisma.sql`
        DELETE FROM "Review" WHERE id = (
          SELECT r.id FROM "Review" r JOIN "InstructionVersion" v ON v.id = r."instructionVersionId"
          WHERE r."instructionVersionId" = ${target.versionId} AND v."projectId" = ${target.projectId}
          ORDER BY r."createdAt" DESC, r.id DESC LIMIT 1)
        RETURNING id, "instructionVersionId"`;
  // The statement's snapshot still sees the deleted rows: the restore skips them by id.
  const count = await db.$executeRaw`
    WITH removed AS (${removed})
    UPDATE "InstructionVersion" v SET ("reviewDecision", "editedText", "editedAnswer") = (
        SELECT r.decision, r."editedText", r."editedAnswer" FROM "Review" r
        WHERE r."instructionVersionId" = v.id AND r.id NOT IN (SELECT id FROM removed)
        ORDER BY r."createdAt" DESC, r.id DESC LIMIT 1),
      "decidedByHand" = COALESCE((
        SELECT r.decision IS NOT NULL AND NOT r.bulk FROM "Review" r
        WHERE r."instructionVersionId" = v.id AND r.id NOT IN (SELECT id FROM removed)
        ORDER BY r."createdAt" DESC, r.id DESC LIMIT 1), false),
      "reviewRevision" = v."reviewRevision" + 1, "updatedAt" = now()
    WHERE v.id IN (SELECT "instructionVersionId" FROM removed)`;
  if (count === 0) throw new AppError("not_found", "There is no review to undo");
  return { count };
}

// Evaluations and their per-instruction results, scoped by project. Raw SQL for what workers do per instruction;
// a result row is written once per (evaluation, instruction), so a job that runs twice changes nothing.
import type { EvalOutcome } from "@/lib/codeclm/evaluate";
import type { Queryable } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";

export type EvaluationState = "queued" | "running" | "cancelled" | "completed" | "failed";
export const liveEvaluationStates: readonly EvaluationState[] = ["queued", "running"];

export interface EvaluationRow {
  id: number;
  projectId: number;
  setId: number;
  name: string;
  state: EvaluationState;
  configSnapshot: unknown;
  generation: number;
  wins: number;
  ties: number;
  losses: number;
  crr: number | null;
  crrLow: number | null;
  crrHigh: number | null;
  errorCount: number;
  lastError: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The row's columns, qualified by `alias` ("e." in joins). */
function columnsOf(alias = ""): string {
  return [
    "id",
    `"projectId"`,
    `"setId"`,
    "name",
    "state",
    `"configSnapshot"`,
    "generation",
    "wins",
    "ties",
    "losses",
    "crr",
    `"crrLow"`,
    `"crrHigh"`,
    `"errorCount"`,
    `"lastError"`,
    `"createdAt"`,
    `"startedAt"`,
    `"finishedAt"`,
  ]
    .map((column) => (column === "state" ? `${alias}state::text AS state` : `${alias}${column}`))
    .join(", ");
}
const columns = columnsOf();

export async function insertEvaluation(
  q: Queryable,
  input: { projectId: number; setId: number; name: string; config: unknown },
): Promise<number> {
  const result = await q.query<{ id: number }>(
    `INSERT INTO "Evaluation" ("projectId", "setId", name, state, "configSnapshot", "startedAt")
     VALUES ($1, $2, $3, 'running', $4::jsonb, now()) RETURNING id`,
    [input.projectId, input.setId, input.name, JSON.stringify(input.config)],
  );
  return result.rows[0]!.id;
}

export async function findEvaluation(q: Queryable, evaluationId: number): Promise<EvaluationRow | null> {
  const result = await q.query<EvaluationRow>(`SELECT ${columns} FROM "Evaluation" WHERE id = $1`, [
    evaluationId,
  ]);
  return result.rows[0] ?? null;
}

/** The evaluation, if it belongs to the project: an id from a browser is only trusted once scoped. */
export async function getEvaluationOfProject(
  q: Queryable,
  projectId: number,
  evaluationId: number,
): Promise<EvaluationRow> {
  const evaluation = await findEvaluation(q, evaluationId);
  if (!evaluation || evaluation.projectId !== projectId) {
    throw new AppError("not_found", `Evaluation ${evaluationId} is not an evaluation of this project`);
  }
  return evaluation;
}

export async function listEvaluations(
  q: Queryable,
  projectId: number,
): Promise<Array<EvaluationRow & { setName: string; instructionCount: number }>> {
  const result = await q.query<EvaluationRow & { setName: string; instructionCount: number }>(
    `SELECT ${columnsOf("e.")},
       s.name AS "setName", s."instructionCount"
     FROM "Evaluation" e JOIN "EvalSet" s ON s.id = e."setId" WHERE e."projectId" = $1 ORDER BY e.id DESC`,
    [projectId],
  );
  return result.rows;
}

export async function getEvaluationState(
  q: Queryable,
  evaluationId: number,
): Promise<EvaluationState | null> {
  const result = await q.query<{ state: EvaluationState }>(
    `SELECT state::text AS state FROM "Evaluation" WHERE id = $1`,
    [evaluationId],
  );
  return result.rows[0]?.state ?? null;
}

/** Moves the evaluation from one of `from` to `to`; false when someone else moved it first. */
export async function transitionEvaluation(
  q: Queryable,
  evaluationId: number,
  change: {
    from: readonly EvaluationState[];
    to: EvaluationState;
    lastError?: string | null;
    finished?: boolean;
  },
): Promise<boolean> {
  const sets = [`state = $3::"EvaluationState"`];
  const params: unknown[] = [evaluationId, [...change.from], change.to];
  if (change.lastError !== undefined) {
    params.push(change.lastError?.slice(0, 4000) ?? null);
    sets.push(`"lastError" = $${params.length}`);
  }
  if (change.finished === true) sets.push(`"finishedAt" = now()`);
  const result = await q.query(
    `UPDATE "Evaluation" SET ${sets.join(", ")} WHERE id = $1 AND state::text = ANY($2::text[])`,
    params,
  );
  return (result.rowCount ?? 0) > 0;
}

export interface FinalFigures {
  wins: number;
  ties: number;
  losses: number;
  crr: number | null;
  crrLow: number | null;
  crrHigh: number | null;
  errorCount: number;
}

/** running → completed with its figures; false when it was no longer running (another worker got there). */
export async function completeEvaluation(
  q: Queryable,
  evaluationId: number,
  figures: FinalFigures,
): Promise<boolean> {
  const result = await q.query(
    `UPDATE "Evaluation" SET state = 'completed', "finishedAt" = now(), wins = $2, ties = $3, losses = $4, crr = $5,
       "crrLow" = $6, "crrHigh" = $7, "errorCount" = $8
     WHERE id = $1 AND state = 'running'`,
    [
      evaluationId,
      figures.wins,
      figures.ties,
      figures.losses,
      figures.crr,
      figures.crrLow,
      figures.crrHigh,
      figures.errorCount,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}

/** A resume: running again in a new generation (a completed one only to retry failed instructions). */
export async function restartEvaluation(
  q: Queryable,
  evaluationId: number,
  from: readonly EvaluationState[],
): Promise<number | null> {
  const result = await q.query<{ generation: number }>(
    `UPDATE "Evaluation" SET state = 'running', generation = generation + 1, "lastError" = NULL, "finishedAt" = NULL,
       wins = 0, ties = 0, losses = 0, crr = NULL, "crrLow" = NULL, "crrHigh" = NULL
     WHERE id = $1 AND state::text = ANY($2::text[]) RETURNING generation`,
    [evaluationId, [...from]],
  );
  return result.rows[0]?.generation ?? null;
}

export async function deleteEvaluationRow(
  q: Queryable,
  projectId: number,
  evaluationId: number,
): Promise<void> {
  const deleted = await q.query(
    `DELETE FROM "Evaluation" WHERE id = $1 AND "projectId" = $2 AND state NOT IN ('queued', 'running')`,
    [evaluationId, projectId],
  );
  if (deleted.rowCount === 0)
    throw new AppError("conflict", "Only an evaluation that is not running can be deleted: cancel it first");
}

export async function listLiveEvaluationIds(q: Queryable): Promise<number[]> {
  const result = await q.query<{ id: number }>(
    `SELECT id FROM "Evaluation" WHERE state IN ('queued', 'running') ORDER BY id`,
  );
  return result.rows.map((row) => row.id);
}

/** Instructions of the evaluation's set without a result yet: the work still to do. */
export async function listUnsettledInstructionIds(q: Queryable, evaluationId: number): Promise<number[]> {
  const result = await q.query<{ id: number }>(
    `SELECT i.id FROM "Evaluation" e JOIN "EvalInstruction" i ON i."setId" = e."setId"
     WHERE e.id = $1 AND NOT EXISTS (SELECT 1 FROM "EvalResult" r WHERE r."evaluationId" = e.id AND r."evalInstructionId" = i.id)
     ORDER BY i.position`,
    [evaluationId],
  );
  return result.rows.map((row) => row.id);
}

export interface NewEvalResult {
  evaluationId: number;
  evalInstructionId: number;
  targetAnswer: string | null;
  referenceAnswer: string | null;
  scores: { targetA: number; referenceA: number; targetB: number; referenceB: number } | null;
  explanationOrderA: string | null;
  explanationOrderB: string | null;
  outcome: EvalOutcome | null;
  error: string | null;
}

/** Stores one instruction's result; false when it was already stored (the job ran twice). */
export async function storeEvalResult(q: Queryable, result: NewEvalResult): Promise<boolean> {
  const inserted = await q.query(
    `INSERT INTO "EvalResult" ("evaluationId", "evalInstructionId", "targetAnswer", "referenceAnswer", "targetScoreOrderA",
       "referenceScoreOrderA", "targetScoreOrderB", "referenceScoreOrderB", "explanationOrderA", "explanationOrderB", outcome, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::"EvalOutcome", $12)
     ON CONFLICT ("evaluationId", "evalInstructionId") DO NOTHING`,
    [
      result.evaluationId,
      result.evalInstructionId,
      result.targetAnswer,
      result.referenceAnswer,
      result.scores?.targetA ?? null,
      result.scores?.referenceA ?? null,
      result.scores?.targetB ?? null,
      result.scores?.referenceB ?? null,
      result.explanationOrderA,
      result.explanationOrderB,
      result.outcome,
      result.error?.slice(0, 4000) ?? null,
    ],
  );
  return (inserted.rowCount ?? 0) > 0;
}

/** A retry: failed instructions lose their result and become work again. */
export async function deleteFailedResults(q: Queryable, evaluationId: number): Promise<number> {
  const deleted = await q.query(`DELETE FROM "EvalResult" WHERE "evaluationId" = $1 AND outcome IS NULL`, [
    evaluationId,
  ]);
  return deleted.rowCount ?? 0;
}

export interface ResultCounts {
  total: number;
  judged: number;
  failed: number;
}

export async function countResults(q: Queryable, evaluationId: number): Promise<ResultCounts> {
  const result = await q.query<ResultCounts>(
    `SELECT s."instructionCount" AS total,
       (SELECT count(*)::int FROM "EvalResult" r WHERE r."evaluationId" = e.id AND r.outcome IS NOT NULL) AS judged,
       (SELECT count(*)::int FROM "EvalResult" r WHERE r."evaluationId" = e.id AND r.outcome IS NULL) AS failed
     FROM "Evaluation" e JOIN "EvalSet" s ON s.id = e."setId" WHERE e.id = $1`,
    [evaluationId],
  );
  return result.rows[0] ?? { total: 0, judged: 0, failed: 0 };
}

export interface OutcomeListRow {
  evalInstructionId: number;
  position: number;
  category: string | null;
  outcome: EvalOutcome | null;
  error: string | null;
}

/** Every settled instruction of the evaluation, in set order (judged and failed). */
export async function listOutcomes(q: Queryable, evaluationId: number): Promise<OutcomeListRow[]> {
  const result = await q.query<OutcomeListRow>(
    `SELECT r."evalInstructionId", i.position, i.category, r.outcome::text AS outcome, r.error
     FROM "EvalResult" r JOIN "EvalInstruction" i ON i.id = r."evalInstructionId"
     WHERE r."evaluationId" = $1 ORDER BY i.position`,
    [evaluationId],
  );
  return result.rows;
}

export interface EvalResultDetail {
  evaluationId: number;
  targetAnswer: string | null;
  referenceAnswer: string | null;
  targetScoreOrderA: number | null;
  referenceScoreOrderA: number | null;
  targetScoreOrderB: number | null;
  referenceScoreOrderB: number | null;
  explanationOrderA: string | null;
  explanationOrderB: string | null;
  outcome: EvalOutcome | null;
  error: string | null;
}

/** One instruction's results in the given evaluations (the drill-down). */
export async function listResultDetails(
  q: Queryable,
  evaluationIds: readonly number[],
  instructionId: number,
): Promise<EvalResultDetail[]> {
  const result = await q.query<EvalResultDetail>(
    `SELECT "evaluationId", "targetAnswer", "referenceAnswer", "targetScoreOrderA", "referenceScoreOrderA", "targetScoreOrderB",
       "referenceScoreOrderB", "explanationOrderA", "explanationOrderB", outcome::text AS outcome, error
     FROM "EvalResult" WHERE "evaluationId" = ANY($1::int[]) AND "evalInstructionId" = $2`,
    [[...evaluationIds], instructionId],
  );
  return result.rows;
}

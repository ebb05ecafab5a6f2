// Runs and their errors: raw SQL for what workers do many times a second, Prisma for the rest.
import type { DbOrTx } from "@/lib/db/client";
import type { Queryable } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";

export type RunState =
  "queued" | "running" | "cancelling" | "cancelled" | "stopping" | "completed" | "failed" | "interrupted";
/** A run in these states may still hold queue jobs or make calls: one per project at a time. */
export const activeRunStates: readonly RunState[] = ["queued", "running", "cancelling", "stopping"];

export type StopReason =
  | "target_reached"
  | "pool_exhausted"
  | "cancelled"
  | "interrupted"
  | "endpoint_error"
  | "no_metadata"
  | "error";

export interface RunRow {
  id: number;
  projectId: number;
  state: RunState;
  generation: number;
  randomSeed: number;
  configSnapshot: unknown;
  errorCount: number;
  lastError: string | null;
  stopReason: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

const runColumns = `id, "projectId", state::text AS state, generation, "randomSeed", "configSnapshot", "errorCount",
  "lastError", "stopReason", "createdAt", "startedAt", "finishedAt"`;

export async function insertRun(
  q: Queryable,
  input: { projectId: number; config: unknown; randomSeed: number },
): Promise<number> {
  const result = await q.query<{ id: number }>(
    `INSERT INTO "Run" ("projectId", state, "configSnapshot", "randomSeed", "startedAt")
     VALUES ($1, 'running', $2::jsonb, $3, now()) RETURNING id`,
    [input.projectId, JSON.stringify(input.config), input.randomSeed],
  );
  return result.rows[0]!.id;
}

export async function findRun(
  q: Queryable,
  runId: number,
  options: { forUpdate?: boolean } = {},
): Promise<RunRow | null> {
  const result = await q.query<RunRow>(
    `SELECT ${runColumns} FROM "Run" WHERE id = $1${options.forUpdate ? " FOR UPDATE" : ""}`,
    [runId],
  );
  return result.rows[0] ?? null;
}

/** The run, or AppError("not_found"); with `projectId`, a run of another project counts as missing. */
export async function getRunOrThrow(
  q: Queryable,
  runId: number,
  options: { forUpdate?: boolean; projectId?: number } = {},
): Promise<RunRow> {
  const run = await findRun(q, runId, options);
  if (!run || (options.projectId !== undefined && run.projectId !== options.projectId)) {
    throw new AppError("not_found", `Run ${runId} does not exist (its project may have been deleted)`);
  }
  return run;
}

/** The cheap part a worker re-reads often: is the run still going, and in which generation. */
export async function getRunStatus(
  q: Queryable,
  runId: number,
): Promise<{ state: RunState; generation: number } | null> {
  const result = await q.query<{ state: RunState; generation: number }>(
    `SELECT state::text AS state, generation FROM "Run" WHERE id = $1`,
    [runId],
  );
  return result.rows[0] ?? null;
}

/** Moves the run from one of `from` to `to`; false when it was in another state (someone else moved it). */
export async function transitionRun(
  q: Queryable,
  runId: number,
  change: {
    from: readonly RunState[];
    to: RunState;
    stopReason?: StopReason | null;
    lastError?: string | null;
    finished?: boolean;
    stageCounts?: unknown;
  },
): Promise<boolean> {
  const sets = [`state = $3::"RunState"`];
  const params: unknown[] = [runId, [...change.from], change.to];
  const add = (column: string, value: unknown, cast = "") => {
    params.push(value);
    sets.push(`"${column}" = $${params.length}${cast}`);
  };
  if (change.stopReason !== undefined) add("stopReason", change.stopReason);
  if (change.lastError !== undefined) add("lastError", change.lastError);
  if (change.stageCounts !== undefined) add("stageCounts", JSON.stringify(change.stageCounts), "::jsonb");
  if (change.finished === true) sets.push(`"finishedAt" = now()`);
  if (change.finished === false) sets.push(`"finishedAt" = NULL`);
  const result = await q.query(
    `UPDATE "Run" SET ${sets.join(", ")} WHERE id = $1 AND state::text = ANY($2::text[])`,
    params,
  );
  return (result.rowCount ?? 0) > 0;
}

/** A resume: running again in a new generation, with refreshed endpoints in the snapshot. */
export async function restartRun(q: Queryable, runId: number, config: unknown): Promise<number | null> {
  const result = await q.query<{ generation: number }>(
    `UPDATE "Run" SET state = 'running', generation = generation + 1, "configSnapshot" = $2::jsonb,
       "stopReason" = NULL, "lastError" = NULL, "finishedAt" = NULL, "startedAt" = COALESCE("startedAt", now())
     WHERE id = $1 AND state IN ('cancelled', 'failed', 'interrupted') RETURNING generation`,
    [runId, JSON.stringify(config)],
  );
  return result.rows[0]?.generation ?? null;
}

export interface RunErrorInput {
  runId: number;
  stage: string;
  itemKind: string | null;
  itemId: number | null;
  message: string;
  rawOutput?: string | null;
}

/** Stores an item failure and counts it on the run. */
export async function recordRunError(q: Queryable, error: RunErrorInput): Promise<void> {
  await q.query(
    `WITH inserted AS (
       INSERT INTO "RunError" ("runId", stage, "itemKind", "itemId", message, "rawOutput")
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING "runId")
     UPDATE "Run" SET "errorCount" = "errorCount" + 1 WHERE id = (SELECT "runId" FROM inserted)`,
    [
      error.runId,
      error.stage,
      error.itemKind,
      error.itemId,
      error.message.slice(0, 4000),
      error.rawOutput?.slice(0, 20_000) ?? null,
    ],
  );
}

export interface RunErrorRow {
  id: number;
  stage: string;
  itemKind: string | null;
  itemId: number | null;
  message: string;
  rawOutput: string | null;
  createdAt: Date;
}

export async function listRuns(db: DbOrTx, projectId: number) {
  return db.run.findMany({
    where: { projectId },
    orderBy: { id: "desc" },
    select: {
      id: true,
      state: true,
      randomSeed: true,
      errorCount: true,
      lastError: true,
      stopReason: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
    },
  });
}

/** Runs that workers should be working on (used at worker start and by the supervisor). */
export async function listLiveRunIds(q: Queryable): Promise<Array<{ id: number; state: RunState }>> {
  const result = await q.query<{ id: number; state: RunState }>(
    `SELECT id, state::text AS state FROM "Run" WHERE state IN ('running', 'cancelling', 'stopping') ORDER BY id`,
  );
  return result.rows;
}

export async function findActiveRunOfProject(q: Queryable, projectId: number): Promise<number | null> {
  const result = await q.query<{ id: number }>(
    `SELECT id FROM "Run" WHERE "projectId" = $1 AND state IN ('queued', 'running', 'cancelling') ORDER BY id DESC LIMIT 1`,
    [projectId],
  );
  return result.rows[0]?.id ?? null;
}

// RunTask rows: encode, pool, rubrics and decode work of a run, created idempotently (unique run + key) and
// finished once (only a pending task changes state).
import type { Queryable } from "@/lib/db/sql";

export type TaskKind = "encode" | "pool" | "rubrics" | "decode";
export type TaskState = "pending" | "done" | "failed";

export interface TaskRow {
  id: number;
  runId: number;
  kind: TaskKind;
  key: string;
  itemId: number | null;
  round: number;
  state: TaskState;
  input: unknown;
  output: unknown;
  error: string | null;
}

export interface NewTask {
  kind: TaskKind;
  key: string;
  itemId?: number | null;
  round?: number;
  input?: unknown;
}

export interface TaskRef {
  id: number;
  kind: TaskKind;
  state: TaskState;
}

const taskColumns = `id, "runId", kind, key, "itemId", round, state::text AS state, input, output, error`;

/** Creates the tasks that do not exist yet; returns every named task (new or old) so callers can enqueue them. */
export async function ensureTasks(
  q: Queryable,
  runId: number,
  tasks: readonly NewTask[],
): Promise<TaskRef[]> {
  if (tasks.length === 0) return [];
  const keys = tasks.map((task) => task.key);
  await q.query(
    `INSERT INTO "RunTask" ("runId", kind, key, "itemId", round, input)
     SELECT $1, t.kind, t.key, t."itemId", t.round, t.input
     FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::jsonb[]) AS t(kind, key, "itemId", round, input)
     ON CONFLICT ("runId", key) DO NOTHING`,
    [
      runId,
      tasks.map((task) => task.kind),
      keys,
      tasks.map((task) => task.itemId ?? null),
      tasks.map((task) => task.round ?? 0),
      tasks.map((task) => (task.input === undefined ? null : JSON.stringify(task.input))),
    ],
  );
  const result = await q.query<TaskRef>(
    `SELECT id, kind, state::text AS state FROM "RunTask" WHERE "runId" = $1 AND key = ANY($2::text[]) ORDER BY id`,
    [runId, keys],
  );
  return result.rows;
}

/** One encode task per seed of the project, in seed order. */
export async function createEncodeTasks(q: Queryable, runId: number, projectId: number): Promise<TaskRef[]> {
  const result = await q.query<TaskRef>(
    `INSERT INTO "RunTask" ("runId", kind, key, "itemId")
     SELECT $1, 'encode', 'encode:' || s.id, s.id FROM "Seed" s WHERE s."projectId" = $2 ORDER BY s.id
     ON CONFLICT ("runId", key) DO NOTHING
     RETURNING id, kind, state::text AS state`,
    [runId, projectId],
  );
  return result.rows;
}

export async function getTask(q: Queryable, taskId: number): Promise<TaskRow | null> {
  const result = await q.query<TaskRow>(`SELECT ${taskColumns} FROM "RunTask" WHERE id = $1`, [taskId]);
  return result.rows[0] ?? null;
}

/** Marks a pending task done or failed; false when it was already finished (another worker got there first). */
export async function finishTask(
  q: Queryable,
  taskId: number,
  outcome: { state: "done" | "failed"; output?: unknown; error?: string | null },
): Promise<boolean> {
  const result = await q.query(
    `UPDATE "RunTask" SET state = $2::"RunTaskState", output = $3::jsonb, error = $4, "updatedAt" = now()
     WHERE id = $1 AND state = 'pending'`,
    [
      taskId,
      outcome.state,
      outcome.output === undefined ? null : JSON.stringify(outcome.output),
      outcome.error ?? null,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}

export async function listTasks(
  q: Queryable,
  runId: number,
  filter: { kind?: TaskKind; state?: TaskState } = {},
): Promise<TaskRow[]> {
  const result = await q.query<TaskRow>(
    `SELECT ${taskColumns} FROM "RunTask"
     WHERE "runId" = $1 AND ($2::text IS NULL OR kind = $2) AND ($3::text IS NULL OR state::text = $3)
     ORDER BY id`,
    [runId, filter.kind ?? null, filter.state ?? null],
  );
  return result.rows;
}

export interface TaskCounts {
  kind: TaskKind;
  pending: number;
  done: number;
  failed: number;
}

export async function countTasksByKind(q: Queryable, runId: number): Promise<TaskCounts[]> {
  const result = await q.query<TaskCounts>(
    `SELECT kind,
       count(*) FILTER (WHERE state = 'pending')::int AS pending,
       count(*) FILTER (WHERE state = 'done')::int AS done,
       count(*) FILTER (WHERE state = 'failed')::int AS failed
     FROM "RunTask" WHERE "runId" = $1 GROUP BY kind`,
    [runId],
  );
  return result.rows;
}

/**
 * True while any task or instruction version of the run is unfinished: the barrier before the next stage. Basic
 * instructions waiting for their round's near-duplicate screen do not count: that barrier is what screens them.
 */
export async function hasPendingWork(q: Queryable, runId: number): Promise<boolean> {
  const result = await q.query<{ pending: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "RunTask" WHERE "runId" = $1 AND state = 'pending')
         OR EXISTS (SELECT 1 FROM "InstructionVersion" WHERE "runId" = $1 AND state = 'pending'
                    AND NOT (iteration = 1 AND "screenOrder" IS NULL)) AS pending`,
    [runId],
  );
  return result.rows[0]?.pending ?? false;
}

/** Re-opens failed tasks (a resume that retries failures). */
export async function reopenFailedTasks(q: Queryable, runId: number): Promise<number> {
  const result = await q.query(
    `UPDATE "RunTask" SET state = 'pending', error = NULL, "updatedAt" = now() WHERE "runId" = $1 AND state = 'failed'`,
    [runId],
  );
  return result.rowCount ?? 0;
}

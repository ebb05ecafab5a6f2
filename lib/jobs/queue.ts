// The pg-boss queue on the app's own PostgreSQL (schema "pgboss"): one queue for every pipeline job, jobs with
// deterministic ids so enqueueing the same work twice is a no-op, and inserts that can join the caller's transaction.
import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import type pg from "pg";

export const QUEUE_SCHEMA = "pgboss";
export const PIPELINE_QUEUE = "codeclm-pipeline";
/** Attempts after the first: covers re-deliveries after a worker crash (expiry) and transient database errors. */
export const JOB_RETRY_LIMIT = 5;

export interface QueueSettings {
  connectionString: string;
  /** Seconds a job may stay active before pg-boss re-delivers it. */
  expireSeconds: number;
  /** How often pg-boss expires stuck jobs; defaults to a third of expireSeconds, between 1 and 120. */
  maintenanceSeconds?: number;
  /** Connections of pg-boss's own pool (fetch, complete, maintenance). */
  poolSize?: number;
}

export function maintenanceSecondsFor(
  settings: Pick<QueueSettings, "expireSeconds" | "maintenanceSeconds">,
): number {
  return settings.maintenanceSeconds ?? Math.min(120, Math.max(1, Math.floor(settings.expireSeconds / 3)));
}

/** Starts pg-boss (creating or migrating its schema) and makes sure the pipeline queue exists. */
export async function openQueue(settings: QueueSettings, onError?: (error: Error) => void): Promise<PgBoss> {
  const boss = new PgBoss({
    connectionString: settings.connectionString,
    schema: QUEUE_SCHEMA,
    max: settings.poolSize ?? 4,
    application_name: "codeclm-queue",
    schedule: false,
    supervise: true,
    maintenanceIntervalSeconds: maintenanceSecondsFor(settings),
    // Completed jobs leave the hot table after an hour; their ids only need to block duplicates while a run is live.
    archiveCompletedAfterSeconds: 3600,
    deleteAfterDays: 7,
  });
  boss.on("error", (error) => onError?.(error));
  await boss.start();
  await boss.createQueue(PIPELINE_QUEUE, {
    name: PIPELINE_QUEUE,
    retryLimit: JOB_RETRY_LIMIT,
    retryDelay: 1,
    retryBackoff: true,
    expireInSeconds: settings.expireSeconds,
  });
  return boss;
}

/** A UUID derived from the job's identity: the same work always gets the same id (pg-boss inserts ON CONFLICT DO NOTHING). */
export function deterministicJobId(identity: string): string {
  const hex = createHash("sha256").update(identity).digest("hex");
  // Shaped like a version-5 UUID so PostgreSQL's uuid type and any validator accept it.
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface QueueJobInsert {
  id: string;
  data: object;
  priority: number;
}

/** Something that runs SQL: a pool, or the client of an open transaction (so jobs commit with the state that needs them). */
export type SqlRunner = Pick<pg.Pool | pg.PoolClient, "query">;

const insertChunk = 2000;

export async function insertJobs(
  boss: PgBoss,
  jobs: readonly QueueJobInsert[],
  options: { runner?: SqlRunner; expireSeconds: number },
): Promise<void> {
  const runner = options.runner;
  const db = runner
    ? { executeSql: async (text: string, values: unknown[]) => runner.query(text, values) }
    : undefined;
  for (let start = 0; start < jobs.length; start += insertChunk) {
    const chunk = jobs.slice(start, start + insertChunk).map((job) => ({
      id: job.id,
      name: PIPELINE_QUEUE,
      data: job.data,
      priority: job.priority,
      expireInSeconds: options.expireSeconds,
    }));
    await boss.insert(chunk, db ? { db } : {});
  }
}

/** Marks a job failed for good (no retry): for payloads that will never be valid. */
export async function failJobWithoutRetry(
  boss: PgBoss,
  jobId: string,
  output: object,
  queue = PIPELINE_QUEUE,
): Promise<void> {
  await boss
    .getDb()
    .executeSql(`UPDATE ${QUEUE_SCHEMA}.job SET retry_limit = retry_count WHERE name = $1 AND id = $2`, [
      queue,
      jobId,
    ]);
  await boss.fail(queue, jobId, output);
}

export type QueueJobState = "created" | "retry" | "active" | "completed" | "cancelled" | "failed";

/** The state (and failure output) of the given job ids that are still in the job table. */
export async function getJobStates(
  runner: SqlRunner,
  ids: readonly string[],
  queue: string = PIPELINE_QUEUE,
): Promise<Map<string, { state: QueueJobState; output: unknown }>> {
  const states = new Map<string, { state: QueueJobState; output: unknown }>();
  if (ids.length === 0) return states;
  const result = await runner.query<{ id: string; state: QueueJobState; output: unknown }>(
    `SELECT id::text, state::text, output FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND id = ANY($2::uuid[])`,
    [queue, ids],
  );
  for (const row of result.rows) states.set(row.id, { state: row.state, output: row.output });
  return states;
}

/** Deletes a queue's jobs that have not started and whose payload contains `match`; returns how many went. */
export async function deleteQueuedJobsMatching(
  runner: SqlRunner,
  queue: string,
  match: Record<string, unknown>,
): Promise<number> {
  const result = await runner.query(
    `DELETE FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state < 'active' AND data @> $2::jsonb`,
    [queue, JSON.stringify(match)],
  );
  return result.rowCount ?? 0;
}

/** Deletes a run's jobs that have not started (cancel, fatal error); returns how many went. */
export function deleteQueuedJobsOfRun(runner: SqlRunner, runId: number): Promise<number> {
  return deleteQueuedJobsMatching(runner, PIPELINE_QUEUE, { runId });
}

/** Jobs of a run being worked on right now, by any worker. */
export async function countActiveJobsOfRun(runner: SqlRunner, runId: number): Promise<number> {
  const result = await runner.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state = 'active' AND data @> $2::jsonb`,
    [PIPELINE_QUEUE, JSON.stringify({ runId })],
  );
  return Number(result.rows[0]?.count ?? 0);
}

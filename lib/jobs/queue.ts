// The pg-boss queues on the app's own PostgreSQL (schema "pgboss"), one per job contract: jobs with deterministic
// ids so enqueueing the same work twice is a no-op, inserts that can join the caller's transaction, and the
// heartbeat rules of crash takeover: a worker refreshes the jobs it holds; a job whose holder stopped refreshing
// it is orphaned and goes back to the queue for a live worker.
import PgBoss from "pg-boss";
import type pg from "pg";
import {
  EVALUATION_QUEUE,
  PIPELINE_QUEUE,
  queueNames,
  toContractJob,
  type JobContract,
  type QueueName,
} from "@/lib/jobs/contracts";

export const QUEUE_SCHEMA = "pgboss";
/** Attempts after the first: covers takeovers after a worker crash and transient database errors. */
export const JOB_RETRY_LIMIT = 5;

export interface QueueSettings {
  connectionString: string;
  /** Seconds a held job may go without a heartbeat before it is handed to another worker. */
  expireSeconds: number;
  /** How often pg-boss runs its own maintenance (its expiry is only a fallback, at twice expireSeconds). */
  maintenanceSeconds?: number;
  /** Connections of pg-boss's own pool (fetch, complete, maintenance). */
  poolSize?: number;
}

export function maintenanceSecondsFor(
  settings: Pick<QueueSettings, "expireSeconds" | "maintenanceSeconds">,
): number {
  return settings.maintenanceSeconds ?? Math.min(120, Math.max(1, Math.floor(settings.expireSeconds / 3)));
}

/** How often a worker refreshes the jobs it holds: several times within the expiry, at most every 5 s. */
export function heartbeatSecondsFor(expireSeconds: number): number {
  return Math.min(5, Math.max(0.2, expireSeconds / 4));
}

/** pg-boss's own expiry: a fallback behind the heartbeat rule, so only jobs nobody reclaimed reach it. */
function bossExpireSeconds(expireSeconds: number): number {
  return expireSeconds * 2;
}

/** Starts pg-boss (creating or migrating its schema) and makes sure every queue and our index exist. */
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
  for (const queue of queueNames) {
    await boss.createQueue(queue, {
      name: queue,
      retryLimit: JOB_RETRY_LIMIT,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: bossExpireSeconds(settings.expireSeconds),
    });
  }
  // Heartbeats, takeover and "is anyone still working on this run" all look at held jobs only: keep them indexed.
  await boss
    .getDb()
    .executeSql(
      `CREATE INDEX IF NOT EXISTS job_active_started ON ${QUEUE_SCHEMA}.job (name, started_on) WHERE state = 'active'`,
      [],
    )
    .catch(() => undefined); // another process created it at the same instant
  return boss;
}

/** Something that runs SQL: a pool, or the client of an open transaction (so jobs commit with the state that needs them). */
export type SqlRunner = Pick<pg.Pool | pg.PoolClient, "query">;

const insertChunk = 2000;

/** Inserts jobs of one contract; with `runner` (an open transaction's client) they commit with the caller's state. */
export async function insertJobs<J>(
  boss: PgBoss,
  contract: JobContract<J>,
  jobs: readonly J[],
  options: { runner?: SqlRunner; expireSeconds: number },
): Promise<void> {
  if (jobs.length === 0) return;
  const runner = options.runner;
  const db = runner
    ? { executeSql: async (text: string, values: unknown[]) => runner.query(text, values) }
    : undefined;
  for (let start = 0; start < jobs.length; start += insertChunk) {
    const chunk = jobs.slice(start, start + insertChunk).map((job) => ({
      ...toContractJob(contract, job),
      name: contract.queue,
      expireInSeconds: bossExpireSeconds(options.expireSeconds),
    }));
    await boss.insert(chunk, db ? { db } : {});
  }
}

/** Marks a job failed for good (no retry): for payloads that will never be valid. */
export async function failJobWithoutRetry(
  boss: PgBoss,
  queue: string,
  jobId: string,
  output: object,
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
  queue: QueueName,
  ids: readonly string[],
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
  queue: QueueName,
  match: Record<string, unknown>,
): Promise<number> {
  const result = await runner.query(
    `DELETE FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state < 'active' AND data @> $2::jsonb`,
    [queue, JSON.stringify(match)],
  );
  return result.rowCount ?? 0;
}

/**
 * Jobs whose payload contains `match` that a live worker holds right now: active, with a heartbeat newer than
 * `expireSeconds`. A dead worker's jobs do not count, so a cancel never waits for them.
 */
export async function countLiveJobsMatching(
  runner: SqlRunner,
  queue: QueueName,
  match: Record<string, unknown>,
  expireSeconds: number,
): Promise<number> {
  const result = await runner.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM ${QUEUE_SCHEMA}.job
     WHERE name = $1 AND state = 'active' AND started_on > now() - make_interval(secs => $3) AND data @> $2::jsonb`,
    [queue, JSON.stringify(match), expireSeconds],
  );
  return Number(result.rows[0]?.count ?? 0);
}

/** The heartbeat: the jobs this worker holds stay its own for another expiry period. One statement per queue. */
export async function touchHeldJobs(
  runner: SqlRunner,
  queue: QueueName,
  ids: readonly string[],
): Promise<number> {
  if (ids.length === 0) return 0;
  const result = await runner.query(
    `UPDATE ${QUEUE_SCHEMA}.job SET started_on = now() WHERE name = $1 AND state = 'active' AND id = ANY($2::uuid[])`,
    [queue, ids],
  );
  return result.rowCount ?? 0;
}

/**
 * Crash takeover: held jobs without a heartbeat for `expireSeconds` (their worker died or hung) go back to the
 * queue at once, for any live worker (the fetch counts the attempt); one that used up its attempts fails, and
 * reconciliation records that on its item. Returns how many went back.
 */
export async function reclaimOrphanedJobs(
  runner: SqlRunner,
  queue: QueueName,
  expireSeconds: number,
): Promise<number> {
  const result = await runner.query(
    `UPDATE ${QUEUE_SCHEMA}.job SET
       state = CASE WHEN retry_count < retry_limit THEN 'retry'::${QUEUE_SCHEMA}.job_state ELSE 'failed'::${QUEUE_SCHEMA}.job_state END,
       completed_on = CASE WHEN retry_count < retry_limit THEN NULL ELSE now() END,
       start_after = now(),
       output = jsonb_build_object('message', 'its worker stopped sending heartbeats (crashed or hung)')
     WHERE name = $1 AND state = 'active' AND started_on < now() - make_interval(secs => $2)`,
    [queue, expireSeconds],
  );
  return result.rowCount ?? 0;
}

/** Deletes a run's jobs that have not started (cancel, fatal error); returns how many went. */
export function deleteQueuedJobsOfRun(runner: SqlRunner, runId: number): Promise<number> {
  return deleteQueuedJobsMatching(runner, PIPELINE_QUEUE, { runId });
}

/** Jobs of a run a live worker is working on right now. */
export function countActiveJobsOfRun(
  runner: SqlRunner,
  runId: number,
  expireSeconds: number,
): Promise<number> {
  return countLiveJobsMatching(runner, PIPELINE_QUEUE, { runId }, expireSeconds);
}

/** Jobs of a run still queued or held by a live worker: while there are any, the run may still make a call. */
export async function countUnfinishedJobsOfRun(
  runner: SqlRunner,
  runId: number,
  expireSeconds: number,
): Promise<number> {
  const result = await runner.query<{ count: string }>(
    `SELECT count(*)::text AS count FROM ${QUEUE_SCHEMA}.job
     WHERE name = $1 AND data @> $2::jsonb
       AND (state < 'active' OR (state = 'active' AND started_on > now() - make_interval(secs => $3)))`,
    [PIPELINE_QUEUE, JSON.stringify({ runId }), expireSeconds],
  );
  return Number(result.rows[0]?.count ?? 0);
}

/** Deletes an evaluation's jobs that have not started (cancel, fatal endpoint error); returns how many went. */
export function deleteQueuedJobsOfEvaluation(runner: SqlRunner, evaluationId: number): Promise<number> {
  return deleteQueuedJobsMatching(runner, EVALUATION_QUEUE, { evaluationId });
}

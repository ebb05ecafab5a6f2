// The evaluation's job contract on its own pg-boss queue (next to the pipeline's, same database): one job per
// instruction of an evaluation, with a deterministic id from the evaluation, its generation and the instruction,
// so queueing the same work twice is a no-op and a resumed evaluation's jobs never collide with old ones.
import type PgBoss from "pg-boss";
import { z } from "zod";
import {
  deleteQueuedJobsMatching,
  deterministicJobId,
  getJobStates,
  JOB_RETRY_LIMIT,
  type QueueJobState,
  type SqlRunner,
} from "@/lib/jobs/queue";

export const EVALUATION_QUEUE = "codeclm-evaluation";

const id = z.number().int().positive();

export const evaluationJobSchema = z
  .object({ type: z.literal("evaluate-instruction"), evaluationId: id, generation: id, instructionId: id })
  .strict();
export type EvaluationJob = z.infer<typeof evaluationJobSchema>;

export class InvalidEvaluationJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidEvaluationJobError";
  }
}

export function parseEvaluationJob(data: unknown): EvaluationJob {
  const parsed = evaluationJobSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`,
    );
    throw new InvalidEvaluationJobError(`Invalid evaluation job payload (${problems.join("; ")})`);
  }
  return parsed.data;
}

export function evaluationJobs(
  evaluation: { id: number; generation: number },
  instructionIds: readonly number[],
): EvaluationJob[] {
  return instructionIds.map((instructionId) => ({
    type: "evaluate-instruction",
    evaluationId: evaluation.id,
    generation: evaluation.generation,
    instructionId,
  }));
}

export function evaluationJobId(job: EvaluationJob): string {
  return deterministicJobId(
    `evaluation:${job.evaluationId}:gen:${job.generation}:instruction:${job.instructionId}`,
  );
}

// pg-boss creates a queue once per database (create_queue is a no-op when it exists); once per client here.
const ensured = new WeakMap<PgBoss, Promise<void>>();

export function ensureEvaluationQueue(boss: PgBoss, expireSeconds: number): Promise<void> {
  let pending = ensured.get(boss);
  if (!pending) {
    pending = boss.createQueue(EVALUATION_QUEUE, {
      name: EVALUATION_QUEUE,
      retryLimit: JOB_RETRY_LIMIT,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: expireSeconds,
    });
    pending.catch(() => ensured.delete(boss));
    ensured.set(boss, pending);
  }
  return pending;
}

const insertChunk = 2000;

/** Inserts the jobs; with `runner` (an open transaction's client) they commit with the state that needs them. */
export async function insertEvaluationJobs(
  boss: PgBoss,
  jobs: readonly EvaluationJob[],
  options: { expireSeconds: number; runner?: SqlRunner },
): Promise<void> {
  if (jobs.length === 0) return;
  await ensureEvaluationQueue(boss, options.expireSeconds);
  const runner = options.runner;
  const db = runner
    ? { executeSql: async (text: string, values: unknown[]) => runner.query(text, values) }
    : undefined;
  for (let start = 0; start < jobs.length; start += insertChunk) {
    const chunk = jobs.slice(start, start + insertChunk).map((job) => ({
      id: evaluationJobId(job),
      name: EVALUATION_QUEUE,
      data: job,
      expireInSeconds: options.expireSeconds,
    }));
    await boss.insert(chunk, db ? { db } : {});
  }
}

/** The state (and failure output) of the given evaluation job ids still in the job table. */
export function getEvaluationJobStates(
  runner: SqlRunner,
  ids: readonly string[],
): Promise<Map<string, { state: QueueJobState; output: unknown }>> {
  return getJobStates(runner, ids, EVALUATION_QUEUE);
}

/** Deletes an evaluation's jobs that have not started (cancel, fatal endpoint error); returns how many went. */
export function deleteQueuedJobsOfEvaluation(runner: SqlRunner, evaluationId: number): Promise<number> {
  return deleteQueuedJobsMatching(runner, EVALUATION_QUEUE, { evaluationId });
}

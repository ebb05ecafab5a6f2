// Making a queue match the unfinished work of one run or evaluation, the same way for every queue: each
// unfinished item gets its job (a no-op when it exists, thanks to deterministic ids); an item whose job ended
// without settling it is settled as failed with the queue's reason instead of waiting forever.
import type PgBoss from "pg-boss";
import { jobIdOf, type JobContract } from "@/lib/jobs/contracts";
import { getJobStates, insertJobs } from "@/lib/jobs/queue";

export interface ReconcileResult {
  enqueued: number;
  markedFailed: number;
}

export interface QueueAccess {
  boss: PgBoss;
  pool: Parameters<typeof getJobStates>[0];
  settings: { expireSeconds: number };
}

/** The message pg-boss or our takeover stored on a job that ended. */
export function jobFailureMessage(output: unknown): string {
  const value = (output as { value?: { message?: unknown }; message?: unknown } | null) ?? null;
  const message = value?.message ?? value?.value?.message;
  return typeof message === "string" ? message : "no reason recorded";
}

export async function reconcileJobs<J>(
  access: QueueAccess,
  contract: JobContract<J>,
  unfinished: readonly J[],
  /** Settles the job's item as failed; false when it was already settled. */
  markFailed: (job: J, reason: string) => Promise<boolean>,
): Promise<ReconcileResult> {
  let enqueued = 0;
  let markedFailed = 0;
  const chunkSize = 5000;
  for (let start = 0; start < unfinished.length; start += chunkSize) {
    const chunk = unfinished.slice(start, start + chunkSize);
    const ids = chunk.map((job) => jobIdOf(contract, job));
    const states = await getJobStates(access.pool, contract.queue, ids);
    const missing: J[] = [];
    for (const [index, job] of chunk.entries()) {
      const state = states.get(ids[index]!);
      if (!state) missing.push(job);
      else if (state.state === "failed" || state.state === "completed" || state.state === "cancelled") {
        const reason = `Its queue job ended (${state.state}) without finishing it: ${jobFailureMessage(state.output)}`;
        if (await markFailed(job, reason)) markedFailed++;
      }
    }
    await insertJobs(access.boss, contract, missing, { expireSeconds: access.settings.expireSeconds });
    enqueued += missing.length;
  }
  return { enqueued, markedFailed };
}

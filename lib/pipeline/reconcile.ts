// Making a live run's queue match its unfinished work: every pending task or version gets its job (a no-op when
// the job exists, thanks to deterministic ids); a pending item whose job failed for good is marked failed, with
// the queue's reason, instead of waiting forever. Used at worker start, by resume and by the supervisor.
import { listPendingVersions, settleVersion } from "@/lib/db/instruction-versions";
import { finishTask, listTasks } from "@/lib/db/run-tasks";
import { findRun, recordRunError } from "@/lib/db/runs";
import { withTransaction } from "@/lib/db/sql";
import { toQueueJob, type PipelineJob } from "@/lib/jobs/contracts";
import { getJobStates } from "@/lib/jobs/queue";
import { checkRunProgress } from "@/lib/pipeline/advance";
import { enqueueJobs, taskJobs, versionJobs } from "@/lib/pipeline/enqueue";
import type { PipelineServices } from "@/lib/pipeline/services";
import { itemKindOf } from "@/lib/pipeline/steps/settle-task";

export interface ReconcileResult {
  enqueued: number;
  markedFailed: number;
}

function jobFailureMessage(output: unknown): string {
  const value = (output as { value?: { message?: unknown }; message?: unknown } | null) ?? null;
  const message = value?.message ?? value?.value?.message;
  return typeof message === "string" ? message : "no reason recorded";
}

/** Settles a pending item as failed with `reason` (a no-op when it is no longer pending). */
export async function markItemFailed(
  services: PipelineServices,
  runId: number,
  job: PipelineJob,
  reason: string,
): Promise<boolean> {
  return withTransaction(services.pool, async (client) => {
    let itemKind: string;
    let itemId: number | null;
    let stage: string;
    let changed: boolean;
    if (job.type === "version") {
      changed = await settleVersion(client, job.versionId, { state: "failed", dropReason: reason });
      itemKind = "instruction_version";
      itemId = job.versionId;
      stage = "iterate";
    } else {
      changed = await finishTask(client, job.taskId, { state: "failed", error: reason });
      const task = await client.query<{ itemId: number | null }>(
        `SELECT "itemId" FROM "RunTask" WHERE id = $1`,
        [job.taskId],
      );
      itemKind = itemKindOf(job.type);
      itemId = task.rows[0]?.itemId ?? null;
      stage = job.type;
    }
    if (changed) await recordRunError(client, { runId, stage, itemKind, itemId, message: reason });
    return changed;
  });
}

export async function reconcileRun(services: PipelineServices, runId: number): Promise<ReconcileResult> {
  const run = await findRun(services.pool, runId);
  if (!run || run.state !== "running") return { enqueued: 0, markedFailed: 0 };
  const generation = { id: runId, generation: run.generation };
  const [tasks, versions] = await Promise.all([
    listTasks(services.pool, runId, { state: "pending" }),
    listPendingVersions(services.pool, runId),
  ]);
  const jobs = [...taskJobs(generation, tasks), ...versionJobs(generation, versions)];
  let enqueued = 0;
  let markedFailed = 0;
  const chunkSize = 5000;
  for (let start = 0; start < jobs.length; start += chunkSize) {
    const chunk = jobs.slice(start, start + chunkSize);
    const ids = chunk.map((job) => toQueueJob(job).id);
    const states = await getJobStates(services.pool, ids);
    const missing: PipelineJob[] = [];
    for (const [index, job] of chunk.entries()) {
      const state = states.get(ids[index]!);
      if (!state) missing.push(job);
      else if (state.state === "failed" || state.state === "completed" || state.state === "cancelled") {
        // The job ended without settling its item: say so instead of leaving it pending forever.
        const reason = `Its queue job ended (${state.state}) without finishing it: ${jobFailureMessage(state.output)}`;
        if (await markItemFailed(services, runId, job, reason)) markedFailed++;
      }
    }
    await enqueueJobs(services, missing);
    enqueued += missing.length;
  }
  if (enqueued > 0) {
    services.log("info", "re-queued unfinished work", { runId, jobs: enqueued });
    services.wake();
  }
  await checkRunProgress(services, runId);
  return { enqueued, markedFailed };
}

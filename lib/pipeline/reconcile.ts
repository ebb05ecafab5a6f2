// Making a live run's queue match its unfinished work (lib/jobs/reconcile.ts, shared with evaluations): every
// pending task or version gets its job; a pending item whose job ended for good is marked failed with the
// queue's reason. Used at worker start, by resume and by the supervisor.
import { listPendingVersions, settleVersion } from "@/lib/db/instruction-versions";
import { finishTask, listTasks } from "@/lib/db/run-tasks";
import { findRun, recordRunError } from "@/lib/db/runs";
import { withTransaction } from "@/lib/db/sql";
import { pipelineContract, type PipelineJob } from "@/lib/jobs/contracts";
import { reconcileJobs, type ReconcileResult } from "@/lib/jobs/reconcile";
import { checkRunProgress } from "@/lib/pipeline/advance";
import { taskJobs, versionJobs } from "@/lib/pipeline/enqueue";
import type { PipelineServices } from "@/lib/pipeline/services";
import { itemKindOf } from "@/lib/pipeline/steps/settle-task";

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
  const result = await reconcileJobs(services, pipelineContract, jobs, (job, reason) =>
    markItemFailed(services, runId, job, reason),
  );
  if (result.enqueued > 0) {
    services.log("info", "re-queued unfinished work", { runId, jobs: result.enqueued });
    services.wake();
  }
  await checkRunProgress(services, runId);
  return result;
}

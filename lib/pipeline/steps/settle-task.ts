// Finishing a RunTask: state, error record and successor jobs in one transaction, then the stage barrier check.
import { finishTask, getTask, type TaskRow } from "@/lib/db/run-tasks";
import { recordRunError } from "@/lib/db/runs";
import { withTransaction } from "@/lib/db/sql";
import type pg from "pg";
import type { PipelineJob, TaskJob } from "@/lib/jobs/contracts";
import { advanceRun } from "@/lib/pipeline/advance";
import { enqueueJobs } from "@/lib/pipeline/enqueue";
import type { PipelineServices } from "@/lib/pipeline/services";

/** Loads a pending task of the expected kind; null (after a barrier check) when there is nothing left to do. */
export async function loadPendingTask(services: PipelineServices, job: TaskJob): Promise<TaskRow | null> {
  const task = await getTask(services.pool, job.taskId);
  if (!task) return null; // the run (and its tasks) were deleted
  if (task.runId !== job.runId || task.kind !== job.type) {
    throw new Error(`Task ${job.taskId} is not a ${job.type} task of run ${job.runId}`);
  }
  if (task.state === "pending") return task;
  // Already settled, maybe by a worker that crashed before the barrier check: redo the (idempotent) check.
  await advanceRun(services, job.runId);
  return null;
}

export type TaskOutcome =
  | { state: "done"; output?: unknown }
  | { state: "failed"; error: string; rawOutput?: string | null; output?: unknown };

/**
 * Marks the task done or failed (only if still pending). On success `next` runs in the same transaction and
 * returns the jobs to queue with it, so no successor is ever lost between two commits. Returns false when
 * another worker had already finished the task.
 */
export async function settleTask(
  services: PipelineServices,
  task: Pick<TaskRow, "id" | "runId" | "kind" | "itemId">,
  outcome: TaskOutcome,
  next?: (client: pg.PoolClient) => Promise<PipelineJob[]>,
): Promise<boolean> {
  const jobs = await withTransaction(services.pool, async (client) => {
    const changed = await finishTask(client, task.id, {
      state: outcome.state,
      output: outcome.output,
      error: outcome.state === "failed" ? outcome.error : null,
    });
    if (!changed) return null;
    if (outcome.state === "failed") {
      await recordRunError(client, {
        runId: task.runId,
        stage: task.kind,
        itemKind: itemKindOf(task.kind),
        itemId: task.itemId,
        message: outcome.error,
        rawOutput: outcome.rawOutput ?? null,
      });
      return [];
    }
    const successors = next ? await next(client) : [];
    await enqueueJobs(services, successors, client);
    return successors;
  });
  if (jobs && jobs.length > 0) services.wake();
  await advanceRun(services, task.runId);
  return jobs !== null;
}

export function itemKindOf(kind: TaskRow["kind"]): string {
  return kind === "encode" ? "seed" : kind === "pool" ? "pool" : "metadata";
}

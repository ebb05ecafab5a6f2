// The pipeline queue's processor for the shared worker runtime: its handlers, and its supervision of live runs
// (light: abort in-flight calls of runs that stopped, close cancelled and stopping runs once idle, re-check runs whose items settled at the same instant; full: also
// re-queue lost work and refresh the stored stage counts).
import { listLiveRunIds } from "@/lib/db/runs";
import { PIPELINE_QUEUE } from "@/lib/jobs/contracts";
import type { QueueProcessor } from "@/lib/jobs/worker-runtime";
import { checkRunProgress, finishStopIfIdle } from "@/lib/pipeline/advance";
import { afterPipelineJob, handlePipelineJob, onPipelineJobExhausted } from "@/lib/pipeline/handlers";
import { collectStageCounts } from "@/lib/pipeline/progress";
import { reconcileRun } from "@/lib/pipeline/reconcile";
import type { PipelineServices } from "@/lib/pipeline/services";

async function superviseRuns(services: PipelineServices, full: boolean): Promise<void> {
  // Runs that stopped running get their in-flight calls here aborted.
  await services.runs.refreshTracked();
  for (const run of await listLiveRunIds(services.pool)) {
    try {
      if (run.state === "cancelling" || run.state === "stopping") await finishStopIfIdle(services, run.id);
      else if (!full) {
        // Items that settled at the same instant may each have seen the other still pending: re-check here.
        await checkRunProgress(services, run.id);
      } else {
        await reconcileRun(services, run.id);
        // Keeps Run.stageCounts fresh for lists that show runs without computing their progress.
        await services.pool.query(
          `UPDATE "Run" SET "stageCounts" = $2::jsonb WHERE id = $1 AND state = 'running'`,
          [run.id, JSON.stringify(await collectStageCounts(services.pool, run.id))],
        );
      }
    } catch (error) {
      services.log("warn", "supervising a run failed", {
        runId: run.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

export function pipelineProcessor(services: PipelineServices): QueueProcessor {
  return {
    queue: PIPELINE_QUEUE,
    handle: (job, signal) => handlePipelineJob(services, job, signal),
    onFinalFailure: (job, error) => onPipelineJobExhausted(services, job, error),
    onSettled: (job) => afterPipelineJob(services, job),
    supervise: (full) => superviseRuns(services, full),
  };
}

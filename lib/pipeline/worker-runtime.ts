// A pipeline worker in this process: the queue fetch loop running the pipeline handlers, plus a supervisor that
// re-queues unfinished work of live runs (at start, then periodically) and closes cancelled runs once idle.
import { listLiveRunIds } from "@/lib/db/runs";
import { startQueueWorker, type PipelineQueueWorker } from "@/lib/jobs/worker";
import { checkRunProgress, finishCancelIfIdle } from "@/lib/pipeline/advance";
import {
  afterPipelineJob,
  handlePipelineJob,
  isPermanentJobError,
  onPipelineJobExhausted,
} from "@/lib/pipeline/handlers";
import { collectStageCounts } from "@/lib/pipeline/progress";
import { reconcileRun } from "@/lib/pipeline/reconcile";
import { getPipelineServices, registerWaker, type PipelineServices } from "@/lib/pipeline/services";

export interface PipelineWorker {
  queueWorker: PipelineQueueWorker;
  /** Re-queues unfinished work of every live run now (normally done at start and every superviseSeconds). */
  supervise(): Promise<void>;
  stop(options?: { graceMs?: number }): Promise<void>;
}

/** Light (every second): closes cancelled runs once idle. Full (every superviseSeconds): also re-queues lost work. */
async function superviseRuns(services: PipelineServices, full: boolean): Promise<void> {
  for (const run of await listLiveRunIds(services.pool)) {
    try {
      if (run.state === "cancelling") await finishCancelIfIdle(services, run.id);
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

export async function startPipelineWorker(
  options: { concurrency?: number; prefetch?: number } = {},
): Promise<PipelineWorker> {
  const services = await getPipelineServices();
  const concurrency = options.concurrency ?? services.settings.concurrency;
  const queueWorker = startQueueWorker({
    boss: services.boss,
    concurrency,
    prefetch: options.prefetch,
    handle: (job, signal) => handlePipelineJob(services, job, signal),
    isPermanentError: isPermanentJobError,
    onFinalFailure: (job, error) => onPipelineJobExhausted(services, job, error),
    onSettled: (job) => afterPipelineJob(services, job),
    log: services.log,
  });
  const unregister = registerWaker(queueWorker.wake);

  let supervising: Promise<void> | null = null;
  let lastFull = 0;
  const tick = (forceFull: boolean) => {
    if (supervising) return supervising;
    const full = forceFull || Date.now() - lastFull >= services.settings.superviseSeconds * 1000;
    if (full) lastFull = Date.now();
    supervising = superviseRuns(services, full)
      .catch((error: unknown) =>
        services.log("warn", "supervising runs failed", {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => {
        supervising = null;
      });
    return supervising;
  };
  const supervise = () => tick(true);
  // Catch up on runs a crashed or stopped worker left behind.
  await supervise();
  const timer = setInterval(
    () => void tick(false),
    Math.min(1000, services.settings.superviseSeconds * 1000),
  );
  timer.unref();
  services.log("info", "pipeline worker started", { concurrency });

  return {
    queueWorker,
    supervise,
    async stop(stopOptions) {
      clearInterval(timer);
      unregister();
      await queueWorker.stop(stopOptions);
      await supervising;
      services.log(
        "info",
        "pipeline worker stopped",
        queueWorker.stats() as unknown as Record<string, unknown>,
      );
    },
  };
}

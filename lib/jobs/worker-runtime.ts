// A worker in this process: the one queue loop per processor (pipeline, evaluation), each with its heartbeat,
// and one supervisor for all of them: it hands orphaned jobs (a dead worker's) back to the queue, and lets each
// processor re-check its live work (closing what ended, re-queueing what went missing). The web server, `npm run
// worker`, the CLI and tests all start workers here.
import { evaluationProcessor } from "@/lib/evaluation/processor";
import { InvalidJobPayloadError, queueNames, type QueueName } from "@/lib/jobs/contracts";
import { heartbeatSecondsFor, reclaimOrphanedJobs, touchHeldJobs } from "@/lib/jobs/queue";
import { startQueueWorker, type QueueJob, type QueueWorker, type WorkerStats } from "@/lib/jobs/worker";
import { pipelineProcessor } from "@/lib/pipeline/processor";
import { getPipelineServices, registerWaker, type PipelineServices } from "@/lib/pipeline/services";

/** What a queue needs from the worker: how to run a job, what to do when it can never succeed, how to supervise. */
export interface QueueProcessor {
  queue: QueueName;
  handle(job: QueueJob, signal: AbortSignal): Promise<void>;
  /** A job failed its last attempt (a bug or a database outage): record it on the work item. */
  onFinalFailure(job: QueueJob, error: unknown): Promise<void>;
  /** After each job was completed or failed. */
  onSettled?(job: QueueJob): Promise<void>;
  /** Light (every second): close what ended. Full (every superviseSeconds and at start): also re-queue lost work. */
  supervise(full: boolean): Promise<void>;
}

const processorFactories = {
  pipeline: pipelineProcessor,
  evaluation: evaluationProcessor,
} satisfies Record<string, (services: PipelineServices) => QueueProcessor>;

export type ProcessorName = keyof typeof processorFactories;

export interface Worker {
  queueWorkers: QueueWorker[];
  /** Runs a full supervision now (normally at start and every superviseSeconds). */
  supervise(): Promise<void>;
  stats(): Record<string, WorkerStats>;
  /** Stops fetching, lets in-flight jobs finish for graceMs, then aborts the rest and hands them back. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function startWorker(
  options: { processors?: readonly ProcessorName[]; concurrency?: number; prefetch?: number } = {},
): Promise<Worker> {
  const services = await getPipelineServices();
  const { settings, log } = services;
  const concurrency = options.concurrency ?? settings.concurrency;
  const heartbeatMs = heartbeatSecondsFor(settings.expireSeconds) * 1000;
  const names = options.processors ?? (Object.keys(processorFactories) as ProcessorName[]);
  const processors = names.map((name) => processorFactories[name](services));
  const queueWorkers = processors.map((processor) =>
    startQueueWorker({
      boss: services.boss,
      queue: processor.queue,
      concurrency,
      prefetch: options.prefetch,
      handle: (job, signal) => processor.handle(job, signal),
      isPermanentError: (error) => error instanceof InvalidJobPayloadError,
      onFinalFailure: (job, error) => processor.onFinalFailure(job, error),
      onSettled: processor.onSettled ? (job) => processor.onSettled!(job) : undefined,
      heartbeat: { everyMs: heartbeatMs, touch: (ids) => touchHeldJobs(services.pool, processor.queue, ids) },
      log,
    }),
  );
  const unregisters = queueWorkers.map((worker) => registerWaker(worker.wake));

  let supervising: Promise<void> | null = null;
  let lastFull = 0;
  let lastReclaim = 0;
  const tick = (forceFull: boolean): Promise<void> => {
    if (supervising) return supervising;
    const now = Date.now();
    const full = forceFull || now - lastFull >= settings.superviseSeconds * 1000;
    if (full) lastFull = now;
    const reclaim = now - lastReclaim >= heartbeatMs;
    if (reclaim) lastReclaim = now;
    supervising = (async () => {
      if (reclaim) {
        for (const queue of queueNames) {
          const reclaimed = await reclaimOrphanedJobs(services.pool, queue, settings.expireSeconds).catch(
            (error: unknown) => {
              log("warn", "taking over orphaned jobs failed", { queue, error: message(error) });
              return 0;
            },
          );
          if (reclaimed > 0) {
            log("warn", "took over jobs of a worker that stopped sending heartbeats", {
              queue,
              jobs: reclaimed,
            });
            services.wake();
          }
        }
      }
      for (const processor of processors) {
        await processor
          .supervise(full)
          .catch((error: unknown) =>
            log("warn", "supervising failed", { queue: processor.queue, error: message(error) }),
          );
      }
    })().finally(() => {
      supervising = null;
    });
    return supervising;
  };
  const supervise = () => tick(true);
  // Catch up on work a crashed or stopped worker left behind.
  await supervise();
  const timer = setInterval(
    () => void tick(false),
    Math.min(1000, settings.superviseSeconds * 1000, heartbeatMs),
  );
  timer.unref();
  log("info", "worker started", { queues: processors.map((processor) => processor.queue), concurrency });

  return {
    queueWorkers,
    supervise,
    stats: () => Object.fromEntries(queueWorkers.map((worker) => [worker.queue, worker.stats()])),
    async stop(stopOptions) {
      clearInterval(timer);
      for (const unregister of unregisters) unregister();
      await Promise.all(queueWorkers.map((worker) => worker.stop(stopOptions)));
      await supervising;
      log("info", "worker stopped", {
        stats: Object.fromEntries(queueWorkers.map((w) => [w.queue, w.stats()])),
      });
    },
  };
}

// An evaluation worker in this process: the pipeline's queue fetch loop on the evaluation queue, plus a supervisor
// that re-queues unfinished instructions of running evaluations (at start, so an evaluation resumes after a
// restart, then periodically) and completes those whose last result came in.
import { listLiveEvaluationIds } from "@/lib/db/evaluations";
import { recordExhaustedEvaluationJob, runEvaluationJob } from "@/lib/evaluation/judge-instruction";
import { reconcileEvaluation } from "@/lib/evaluation/control";
import {
  ensureEvaluationQueue,
  EVALUATION_QUEUE,
  evaluationJobSchema,
  InvalidEvaluationJobError,
  parseEvaluationJob,
} from "@/lib/evaluation/queue";
import { startQueueWorker, type PipelineQueueWorker } from "@/lib/jobs/worker";
import { getPipelineServices, registerWaker, type PipelineServices } from "@/lib/pipeline/services";

export interface EvaluationWorker {
  queueWorker: PipelineQueueWorker;
  /** Re-queues unfinished work of every running evaluation now (normally at start and every superviseSeconds). */
  supervise(): Promise<void>;
  stop(options?: { graceMs?: number }): Promise<void>;
}

async function superviseEvaluations(services: PipelineServices): Promise<void> {
  for (const evaluationId of await listLiveEvaluationIds(services.pool)) {
    try {
      await reconcileEvaluation(services, evaluationId);
    } catch (error) {
      services.log("warn", "supervising an evaluation failed", {
        evaluationId,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}

export async function startEvaluationWorker(
  options: { concurrency?: number } = {},
): Promise<EvaluationWorker> {
  const services = await getPipelineServices();
  await ensureEvaluationQueue(services.boss, services.settings.expireSeconds);
  const concurrency = options.concurrency ?? services.settings.concurrency;
  const queueWorker = startQueueWorker({
    boss: services.boss,
    queue: EVALUATION_QUEUE,
    concurrency,
    handle: (job, signal) => runEvaluationJob(services, parseEvaluationJob(job.data), signal),
    isPermanentError: (error) => error instanceof InvalidEvaluationJobError,
    onFinalFailure: async (job, error) => {
      const parsed = evaluationJobSchema.safeParse(job.data);
      if (parsed.success) await recordExhaustedEvaluationJob(services, parsed.data, error);
    },
    log: services.log,
  });
  const unregister = registerWaker(queueWorker.wake);

  let supervising: Promise<void> | null = null;
  const supervise = () => {
    supervising ??= superviseEvaluations(services).finally(() => {
      supervising = null;
    });
    return supervising;
  };
  await supervise();
  const timer = setInterval(() => void supervise(), services.settings.superviseSeconds * 1000);
  timer.unref();
  services.log("info", "evaluation worker started", { concurrency });

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
        "evaluation worker stopped",
        queueWorker.stats() as unknown as Record<string, unknown>,
      );
    },
  };
}

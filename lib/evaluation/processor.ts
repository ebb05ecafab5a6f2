// The evaluation queue's processor for the shared worker runtime: one job per instruction, and a supervision
// (every superviseSeconds and at start) that re-queues unfinished instructions of running evaluations, so an
// evaluation resumes after a restart, and completes those whose last result came in.
import { listLiveEvaluationIds } from "@/lib/db/evaluations";
import { reconcileEvaluation } from "@/lib/evaluation/control";
import { recordExhaustedEvaluationJob, runEvaluationJob } from "@/lib/evaluation/judge-instruction";
import { EVALUATION_QUEUE, evaluationJobSchema, parseEvaluationJob } from "@/lib/jobs/contracts";
import type { QueueProcessor } from "@/lib/jobs/worker-runtime";
import type { PipelineServices } from "@/lib/pipeline/services";

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

export function evaluationProcessor(services: PipelineServices): QueueProcessor {
  return {
    queue: EVALUATION_QUEUE,
    handle: (job, signal) => runEvaluationJob(services, parseEvaluationJob(job.data), signal),
    onFinalFailure: async (job, error) => {
      const parsed = evaluationJobSchema.safeParse(job.data);
      if (parsed.success) await recordExhaustedEvaluationJob(services, parsed.data, error);
    },
    supervise: (full) => (full ? superviseEvaluations(services) : Promise.resolve()),
  };
}

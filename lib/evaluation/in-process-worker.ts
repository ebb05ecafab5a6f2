// The evaluation worker the web server runs next to the pipeline's (see lib/jobs/in-process.ts). At start it
// re-queues unfinished instructions, so a running evaluation resumes after a restart.
import { startInProcessOnce } from "@/lib/jobs/in-process";
import { startEvaluationWorker, type EvaluationWorker } from "@/lib/evaluation/worker";

export function startInProcessEvaluationWorker(): Promise<EvaluationWorker | null> {
  return startInProcessOnce("evaluation", () => startEvaluationWorker());
}

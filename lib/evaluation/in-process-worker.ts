// The evaluation worker the web server runs for itself, next to the pipeline's (CODECLM_IN_PROCESS_WORKER, default
// on). Started once per process, also across dev reloads; on SIGTERM/SIGINT in-flight jobs get a short grace
// period, then go back to the queue for any other worker. At start it re-queues unfinished instructions, so a
// running evaluation resumes after a restart.
import { env } from "@/lib/env";
import { startEvaluationWorker, type EvaluationWorker } from "@/lib/evaluation/worker";
import { consoleLog } from "@/lib/pipeline/services";

const globals = globalThis as typeof globalThis & { __codeclmInProcessEvaluationWorker?: Promise<EvaluationWorker | null> };

export function startInProcessEvaluationWorker(): Promise<EvaluationWorker | null> {
  if (!env.CODECLM_IN_PROCESS_WORKER) return Promise.resolve(null);
  globals.__codeclmInProcessEvaluationWorker ??= startEvaluationWorker().then(
    (worker) => {
      const stop = () => void worker.stop({ graceMs: 3000 });
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      return worker;
    },
    (error: unknown) => {
      consoleLog()("error", "the in-process evaluation worker did not start", {
        error: error instanceof Error ? error.message : String(error),
      });
      globals.__codeclmInProcessEvaluationWorker = undefined;
      return null;
    },
  );
  return globals.__codeclmInProcessEvaluationWorker;
}

// The pipeline worker the web server runs for itself (CODECLM_IN_PROCESS_WORKER, default on). Started once per
// process, also across dev reloads; on SIGTERM/SIGINT in-flight jobs get a short grace period, then go back to
// the queue for any other worker.
import { env } from "@/lib/env";
import { consoleLog } from "@/lib/pipeline/services";
import { startPipelineWorker, type PipelineWorker } from "@/lib/pipeline/worker-runtime";

const globals = globalThis as typeof globalThis & { __codeclmInProcessWorker?: Promise<PipelineWorker | null> };

export function startInProcessWorker(): Promise<PipelineWorker | null> {
  if (!env.CODECLM_IN_PROCESS_WORKER) return Promise.resolve(null);
  globals.__codeclmInProcessWorker ??= startPipelineWorker().then(
    (worker) => {
      const stop = () => void worker.stop({ graceMs: 3000 });
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      return worker;
    },
    (error: unknown) => {
      consoleLog()("error", "the in-process pipeline worker did not start", {
        error: error instanceof Error ? error.message : String(error),
      });
      globals.__codeclmInProcessWorker = undefined;
      return null;
    },
  );
  return globals.__codeclmInProcessWorker;
}

// The worker the web server runs for itself (CODECLM_IN_PROCESS_WORKER, default on): every queue, started once
// per process, also across dev reloads; on SIGTERM/SIGINT in-flight jobs get a short grace period, then go back
// to the queue for any other worker.
import { env } from "@/lib/env";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { consoleLog } from "@/lib/pipeline/services";

const globals = globalThis as typeof globalThis & { __codeclmInProcessWorker?: Promise<Worker | null> };

export function startInProcessWorker(): Promise<Worker | null> {
  if (!env.CODECLM_IN_PROCESS_WORKER) return Promise.resolve(null);
  if (globals.__codeclmInProcessWorker) return globals.__codeclmInProcessWorker;
  const starting = startWorker().then(
    (worker) => {
      const stop = () => void worker.stop({ graceMs: 3000 });
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      return worker;
    },
    (error: unknown) => {
      consoleLog()("error", "the in-process worker did not start", {
        error: error instanceof Error ? error.message : String(error),
      });
      globals.__codeclmInProcessWorker = undefined;
      return null;
    },
  );
  globals.__codeclmInProcessWorker = starting;
  return starting;
}

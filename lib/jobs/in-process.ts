// Workers the web server runs for itself (CODECLM_IN_PROCESS_WORKER, default on). Each is started once per
// process, also across dev reloads; on SIGTERM/SIGINT in-flight jobs get a short grace period, then go back to
// the queue for any other worker.
import { env } from "@/lib/env";
import { consoleLog } from "@/lib/pipeline/services";

interface StoppableWorker {
  stop: (options: { graceMs: number }) => Promise<unknown>;
}

const started = ((
  globalThis as typeof globalThis & { __codeclmInProcessWorkers?: Map<string, Promise<unknown>> }
).__codeclmInProcessWorkers ??= new Map<string, Promise<unknown>>());

export function startInProcessOnce<T extends StoppableWorker>(
  name: string,
  start: () => Promise<T>,
): Promise<T | null> {
  if (!env.CODECLM_IN_PROCESS_WORKER) return Promise.resolve(null);
  const existing = started.get(name) as Promise<T | null> | undefined;
  if (existing) return existing;
  const starting = start().then(
    (worker) => {
      const stop = () => void worker.stop({ graceMs: 3000 });
      process.once("SIGTERM", stop);
      process.once("SIGINT", stop);
      return worker;
    },
    (error: unknown) => {
      consoleLog()("error", `the in-process ${name} worker did not start`, {
        error: error instanceof Error ? error.message : String(error),
      });
      started.delete(name);
      return null;
    },
  );
  started.set(name, starting);
  return starting;
}

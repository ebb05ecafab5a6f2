// The one fetch loop every queue uses: up to `concurrency` jobs in flight, fetching as many as there are free
// slots (plus a few ahead), each job completed or failed on its own (no batch work(): one slow job never holds
// back the others), and a heartbeat that keeps every held job this worker's while it lives.
import { setMaxListeners } from "node:events";
import type PgBoss from "pg-boss";
import { createMicroBatcher } from "@/lib/db/micro-batch";
import type { QueueName } from "@/lib/jobs/contracts";
import { failJobWithoutRetry } from "@/lib/jobs/queue";

export type WorkerLog = (
  level: "debug" | "info" | "warn" | "error",
  message: string,
  fields?: Record<string, unknown>,
) => void;

export interface QueueJob {
  id: string;
  data: unknown;
  retryCount: number;
  retryLimit: number;
}

export interface WorkerOptions {
  boss: PgBoss;
  queue: QueueName;
  concurrency: number;
  /** Runs one job. Throwing fails the job (pg-boss retries it); the signal aborts when the worker stops. */
  handle: (job: QueueJob, signal: AbortSignal) => Promise<void>;
  /** Payload errors are failed without retry. */
  isPermanentError?: (error: unknown) => boolean;
  /** Called when a job failed its last attempt, to record the failure on the work item. */
  onFinalFailure?: (job: QueueJob, error: unknown) => Promise<void>;
  /** Called after each job was completed or failed (e.g. to close a cancelled run once it is idle). */
  onSettled?: (job: QueueJob) => Promise<void>;
  /** Jobs fetched ahead of free slots (default: a quarter of concurrency, at most 16); handed back on stop. */
  prefetch?: number;
  /** Wait between fetches while the queue is empty. */
  idlePollMs?: number;
  /** Refreshes the held jobs (running and prefetched) every `everyMs`, so no other worker takes them over. */
  heartbeat?: { everyMs: number; touch: (ids: string[]) => Promise<unknown> };
  log?: WorkerLog;
}

export interface WorkerStats {
  started: number;
  completed: number;
  failed: number;
  fetches: number;
}

export interface QueueWorker {
  readonly queue: QueueName;
  readonly inFlight: number;
  /** Ids of the jobs this worker holds: running and fetched ahead. */
  heldJobIds(): string[];
  stats(): WorkerStats;
  /** Fetch now (e.g. right after enqueueing work) instead of waiting for the next poll. */
  wake(): void;
  /** Stops fetching, lets in-flight jobs finish for graceMs, then aborts the rest and hands them back to the queue. */
  stop(options?: { graceMs?: number }): Promise<void>;
}

interface Running {
  controller: AbortController;
  done: Promise<void>;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function startQueueWorker(options: WorkerOptions): QueueWorker {
  const { boss, concurrency, handle } = options;
  const queue = options.queue;
  // Jobs finishing in the same event-loop turn are completed with one statement.
  const completions = createMicroBatcher(async (ids: string[]) => {
    await boss.complete(queue, ids);
    return ids.map(() => undefined);
  });
  const log: WorkerLog = options.log ?? (() => undefined);
  const idlePollMs = options.idlePollMs ?? 250;
  const running = new Map<string, Running>();
  // Jobs fetched ahead, so a freed slot is refilled without waiting for a fetch round trip.
  const buffer: QueueJob[] = [];
  const prefetch = options.prefetch ?? Math.min(16, Math.ceil(concurrency / 4));
  const recording = new Set<Promise<void>>();
  const stats: WorkerStats = { started: 0, completed: 0, failed: 0, fetches: 0 };
  let stopping = false;
  let wakeRequested = false;
  let wakeUp: (() => void) | null = null;

  const wake = () => {
    wakeRequested = true;
    const resolve = wakeUp;
    wakeUp = null;
    resolve?.();
  };

  /** Sleeps until woken or for ms; a wake that came while busy returns at once. */
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      if (wakeRequested || stopping) {
        wakeRequested = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        wakeRequested = false;
        resolve();
      };
    });

  /** Runs the handler; the slot is freed as soon as it returns, and the queue bookkeeping finishes after. */
  async function execute(job: QueueJob, controller: AbortController): Promise<void> {
    let failure: { error: unknown } | null = null;
    try {
      await handle(job, controller.signal);
    } catch (error) {
      failure = { error };
    }
    running.delete(job.id);
    fill(); // a prefetched job takes the slot at once
    wake();
    const bookkeeping = record(job, controller, failure).finally(() => recording.delete(bookkeeping));
    recording.add(bookkeeping);
    await bookkeeping;
  }

  async function record(
    job: QueueJob,
    controller: AbortController,
    failure: { error: unknown } | null,
  ): Promise<void> {
    if (!failure) {
      try {
        await completions.add(job.id);
        stats.completed += 1;
      } catch (error) {
        // The job stays active and expires; its handler is idempotent, so running it again is harmless.
        log("error", "could not complete a job", { jobId: job.id, error: errorMessage(error) });
      }
    } else {
      stats.failed += 1;
      const { error } = failure;
      const message = errorMessage(error);
      try {
        if (controller.signal.aborted) {
          // Stopped mid-job: back to the queue for another worker, as a retry.
          await boss.fail(queue, job.id, { message: "the worker stopped before the job finished" });
        } else if (options.isPermanentError?.(error)) {
          log("error", "job failed permanently", { jobId: job.id, error: message });
          await failJobWithoutRetry(boss, queue, job.id, { message });
        } else {
          const final = job.retryCount >= job.retryLimit;
          log(final ? "error" : "warn", final ? "job failed on its last attempt" : "job failed, will retry", {
            jobId: job.id,
            attempt: job.retryCount + 1,
            error: message,
          });
          if (final) await options.onFinalFailure?.(job, error);
          await boss.fail(queue, job.id, { message });
        }
      } catch (inner) {
        // The job stays active and expires; pg-boss then hands it to a worker again.
        log("error", "could not record a job failure", { jobId: job.id, error: errorMessage(inner) });
      }
    }
    if (options.onSettled) {
      await options
        .onSettled(job)
        .catch((error: unknown) =>
          log("warn", "after-job hook failed", { jobId: job.id, error: errorMessage(error) }),
        );
    }
  }

  function start(job: QueueJob): void {
    const controller = new AbortController();
    // One signal serves every LLM call of the job, some of them in parallel.
    setMaxListeners(100, controller.signal);
    stats.started += 1;
    const entry: Running = { controller, done: Promise.resolve() };
    running.set(job.id, entry);
    entry.done = execute(job, controller);
  }

  /** Starts buffered jobs while slots are free. */
  function fill(): void {
    while (!stopping && running.size < concurrency && buffer.length > 0) start(buffer.shift()!);
  }

  async function handBack(jobs: readonly QueueJob[]): Promise<void> {
    await Promise.all(
      jobs.map((job) => boss.fail(queue, job.id, { message: "worker stopping" }).catch(() => undefined)),
    );
  }

  async function loop(): Promise<void> {
    while (!stopping) {
      fill();
      const wanted = concurrency - running.size + prefetch - buffer.length;
      if (wanted <= 0) {
        await pause(idlePollMs);
        continue;
      }
      wakeRequested = false;
      let jobs: QueueJob[] = [];
      try {
        stats.fetches += 1;
        const fetched = await boss.fetch<unknown>(queue, { batchSize: wanted, includeMetadata: true });
        jobs = fetched.map((job) => ({
          id: job.id,
          data: job.data,
          retryCount: job.retryCount,
          retryLimit: job.retryLimit,
        }));
      } catch (error) {
        log("warn", "fetching jobs failed", { error: errorMessage(error) });
      }
      if (stopping) {
        // Fetched while stopping: hand them straight back.
        await handBack(jobs);
        break;
      }
      buffer.push(...jobs);
      fill();
      if (jobs.length < wanted) await pause(idlePollMs);
    }
    await handBack(buffer.splice(0));
  }

  const looping = loop().catch((error: unknown) =>
    log("error", "the worker loop stopped", { error: errorMessage(error) }),
  );

  const heldJobIds = () => [...running.keys(), ...buffer.map((job) => job.id)];
  let beating = false;
  const heartbeat = options.heartbeat;
  const heartbeatTimer = heartbeat
    ? setInterval(() => {
        if (beating) return;
        beating = true;
        heartbeat
          .touch(heldJobIds())
          .catch((error: unknown) =>
            log("warn", "heartbeat failed: held jobs may be taken over", { error: errorMessage(error) }),
          )
          .finally(() => {
            beating = false;
          });
      }, heartbeat.everyMs)
    : null;
  heartbeatTimer?.unref();

  return {
    queue,
    get inFlight() {
      return running.size;
    },
    heldJobIds,
    stats: () => ({ ...stats }),
    wake,
    async stop({ graceMs = 30_000 } = {}) {
      stopping = true;
      // The heartbeat goes on until every held job was completed or handed back.
      wake();
      await looping;
      const all = () => Promise.all([...running.values()].map((entry) => entry.done));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), graceMs);
      });
      const outcome = await Promise.race([all().then(() => "done" as const), timedOut]);
      clearTimeout(timer);
      if (outcome === "timeout") {
        for (const entry of running.values()) entry.controller.abort();
        await all();
      }
      await Promise.all([...recording]);
      if (heartbeatTimer) clearInterval(heartbeatTimer);
    },
  };
}

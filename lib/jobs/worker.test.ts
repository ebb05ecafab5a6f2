import type PgBoss from "pg-boss";
import { describe, expect, it } from "vitest";
import { PIPELINE_QUEUE } from "@/lib/jobs/contracts";
import { startQueueWorker, type QueueJob } from "@/lib/jobs/worker";

/** Just the pg-boss calls the worker makes, over an in-memory queue. */
function fakeBoss(jobCount: number) {
  const queue = Array.from({ length: jobCount }, (_, i) => ({
    id: `job-${i}`,
    data: { n: i },
    retryCount: 0,
    retryLimit: 2,
  }));
  const completed: string[] = [];
  const failed: Array<{ id: string; output: unknown }> = [];
  const batchSizes: number[] = [];
  const boss = {
    fetch: async (_name: string, options: { batchSize: number }) => {
      batchSizes.push(options.batchSize);
      return queue.splice(0, options.batchSize);
    },
    complete: async (_name: string, ids: string | string[]) => {
      completed.push(...(Array.isArray(ids) ? ids : [ids]));
    },
    fail: async (_name: string, id: string, output: unknown) => {
      failed.push({ id, output });
    },
    getDb: () => ({ executeSql: async () => ({ rows: [] }) }),
  };
  return { boss: boss as unknown as PgBoss, queue, completed, failed, batchSizes };
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the queue worker", () => {
  it("keeps at most `concurrency` jobs in flight and completes each one", async () => {
    const fake = fakeBoss(40);
    let inFlight = 0;
    let maxInFlight = 0;
    // The first jobs wait until 8 run together, so the limit is reached whatever the machine's load (with fewer
    // than 8 at once the jobs would never finish).
    let releaseFirstWave: () => void = () => {};
    const firstWave = new Promise<void>((resolve) => (releaseFirstWave = resolve));
    const worker = startQueueWorker({
      boss: fake.boss,
      queue: PIPELINE_QUEUE,
      concurrency: 8,
      prefetch: 2,
      idlePollMs: 5,
      handle: async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (inFlight === 8) releaseFirstWave();
        await firstWave;
        await tick(1 + Math.random() * 5);
        inFlight--;
      },
    });
    while (fake.completed.length < 40) await tick(10);
    await worker.stop();
    expect(fake.completed).toHaveLength(40);
    expect(new Set(fake.completed).size).toBe(40);
    expect(maxInFlight).toBe(8);
    expect(Math.max(...fake.batchSizes)).toBeLessThanOrEqual(8 + 2);
  });

  it("fails a throwing job on its own, calls the last-attempt hook, and fails bad payloads without retry", async () => {
    const fake = fakeBoss(4);
    fake.queue[2]!.retryCount = 2; // its last attempt
    const exhausted: string[] = [];
    const worker = startQueueWorker({
      boss: fake.boss,
      queue: PIPELINE_QUEUE,
      concurrency: 4,
      idlePollMs: 5,
      isPermanentError: (error) => error instanceof TypeError,
      onFinalFailure: async (job: QueueJob) => {
        exhausted.push(job.id);
      },
      handle: async (job) => {
        const n = (job.data as { n: number }).n;
        if (n === 1 || n === 2) throw new Error(`boom ${n}`);
        if (n === 3) throw new TypeError("bad payload");
      },
    });
    for (let i = 0; i < 100 && fake.completed.length + fake.failed.length < 4; i++) await tick(5);
    await worker.stop();
    expect(fake.completed).toEqual(["job-0"]);
    expect(fake.failed.map((entry) => entry.id).sort()).toEqual(["job-1", "job-2", "job-3"]);
    expect(fake.failed.find((entry) => entry.id === "job-1")?.output).toEqual({ message: "boom 1" });
    expect(exhausted).toEqual(["job-2"]);
  });

  it("on stop, lets jobs finish within the grace period, then aborts the rest and hands them back", async () => {
    const fake = fakeBoss(3);
    const started: number[] = [];
    let finishQuickJob: () => void = () => {};
    const quickJob = new Promise<void>((resolve) => (finishQuickJob = resolve));
    const worker = startQueueWorker({
      boss: fake.boss,
      queue: PIPELINE_QUEUE,
      concurrency: 2,
      prefetch: 1,
      idlePollMs: 5,
      handle: async (job, signal) => {
        const n = (job.data as { n: number }).n;
        started.push(n);
        if (n !== 1) return quickJob;
        // The slow job would take 10 s, beyond the test's timeout: stop() must abort it after the grace period.
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(resolve, 10_000);
          signal.addEventListener("abort", () => {
            clearTimeout(timer);
            reject(new Error("aborted"));
          });
        });
      },
    });
    while (started.length < 2) await tick(5);
    const stopped = worker.stop({ graceMs: 100 });
    finishQuickJob(); // job-0 ends within the grace period
    await stopped;
    expect(fake.completed).toEqual(["job-0"]);
    // The running job was aborted and the prefetched one never started: both go back to the queue.
    expect(fake.failed).toEqual(
      expect.arrayContaining([
        { id: "job-1", output: { message: "the worker stopped before the job finished" } },
        { id: "job-2", output: { message: "worker stopping" } },
      ]),
    );
    expect(fake.failed).toHaveLength(2);
    expect(worker.inFlight).toBe(0);
  });
});

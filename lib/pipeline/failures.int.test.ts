// Runs against a misbehaving server (429s, 500s, malformed JSON) and against endpoints that can never work.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { resumeRun, startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useTestDatabase } from "@/test/db";
import { createPipelineProject, waitForRunSettled } from "@/test/pipeline-fixtures";

let db: PrismaClient;
let faulty: FakeLlmServer;
let healthy: FakeLlmServer;
let worker: Worker;

beforeAll(async () => {
  db = useTestDatabase();
  faulty = await startFakeLlmServer({
    latencyMs: 5,
    rate429: 0.1,
    rate500: 0.05,
    rateMalformed: 0.05,
    retryAfter: "0",
    faultSeed: 7,
  });
  healthy = await startFakeLlmServer({ latencyMs: 5 });
  configurePipeline({ superviseSeconds: 1, expireSeconds: 30, log: () => undefined });
  worker = await startWorker({ processors: ["pipeline"], concurrency: 16 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 2000 });
  await closePipelineServices();
  await Promise.all([faulty?.stop(), healthy?.stop()]);
});

describe("failures", () => {
  it("completes a run with 10% 429, 5% 500 and 5% malformed answers, every failure accounted for", async () => {
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: faulty.url,
      seeds: 10,
      settings: { poolSize: 10, targetDatasetSize: 1000, maxIterations: 3, randomSeed: 2 },
      models: { strong: "fake-strong-faults", target: "fake-target-faults" },
    });
    const { runId } = await startRun(projectId, { maxDecodeRounds: 1 });
    const progress = await waitForRunSettled(runId, { timeoutMs: 90_000 });
    expect(progress.run.state).toBe("completed");
    expect(progress.run.stopReason).toBe("pool_exhausted");

    const stats = faulty.stats();
    expect(stats.byStatus["429"]).toBeGreaterThan(0);
    expect(stats.byStatus["500"]).toBeGreaterThan(0);
    const retried = await db.llmCall.count({ where: { runId, attempts: { gt: 1 } } });
    expect(retried).toBeGreaterThan(0);

    // Nothing is left pending; every version has an outcome.
    const states = await db.instructionVersion.groupBy({ by: ["state"], where: { runId }, _count: true });
    expect(states.find((row) => row.state === "pending")).toBeUndefined();
    const tasks = await db.runTask.groupBy({ by: ["state"], where: { runId }, _count: true });
    expect(tasks.find((row) => row.state === "pending")).toBeUndefined();

    // Every failed item has its error record (stage, item, message), and the run counts them all.
    const errors = await db.runError.findMany({ where: { runId } });
    const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
    expect(run.errorCount).toBe(errors.length);
    const failedVersions = await db.instructionVersion.findMany({ where: { runId, state: "failed" } });
    for (const version of failedVersions) {
      expect(version.dropReason).toBeTruthy();
      expect(
        errors.some((error) => error.itemKind === "instruction_version" && error.itemId === version.id),
      ).toBe(true);
    }
    const failedTasks = await db.runTask.findMany({ where: { runId, state: "failed" } });
    for (const task of failedTasks) {
      expect(task.error).toBeTruthy();
      expect(errors.some((error) => error.stage === task.kind && error.itemId === task.itemId)).toBe(true);
    }
    for (const error of errors) expect(error.message.length).toBeGreaterThan(0);
    expect(progress.kept).toBeGreaterThan(0);
  });

  it("stops early with a clear message when the target endpoint cannot be reached", async () => {
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: healthy.url,
      seeds: 5,
      settings: { poolSize: 5, targetDatasetSize: 50, randomSeed: 4 },
      models: { strong: "fake-strong-fatal", target: "fake-target-fatal" },
    });
    // Nothing listens on port 9: connection refused.
    await db.endpoint.update({
      where: { projectId_role: { projectId, role: "target" } },
      data: { baseUrl: "http://127.0.0.1:9/v1" },
    });
    const { runId } = await startRun(projectId);
    const progress = await waitForRunSettled(runId, { timeoutMs: 30_000 });
    expect(progress.run.state).toBe("failed");
    expect(progress.run.stopReason).toBe("endpoint_error");
    expect(progress.run.lastError).toMatch(
      /^The target endpoint \(fake-target-fatal at http:\/\/127\.0\.0\.1:9\/v1\) failed: Cannot reach/,
    );
    // The failing calls were not blamed on the items: nothing failed, the work stays to be resumed.
    expect(await db.instructionVersion.count({ where: { runId, state: "failed" } })).toBe(0);
    const targetCalls = await db.llmCall.count({ where: { runId, role: "target" } });
    expect(targetCalls).toBeLessThanOrEqual(16);
    const queued = await getPool().query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE state < 'active' AND data @> $1::jsonb`,
      [JSON.stringify({ runId })],
    );
    expect(queued.rows[0].n).toBe(0);

    // Fix the URL and resume: the run continues where it stopped, with the corrected endpoint.
    await db.endpoint.update({
      where: { projectId_role: { projectId, role: "target" } },
      data: { baseUrl: healthy.url },
    });
    const resumed = await resumeRun(runId, { projectId });
    expect(resumed).toEqual({ state: "running", generation: 2 });
    const finished = await waitForRunSettled(runId, { timeoutMs: 60_000 });
    expect(finished.run.state).toBe("completed");
    expect(finished.run.lastError).toBeNull();
    expect(finished.kept).toBeGreaterThan(0);
  });

  it("stops early when the strong model does not exist", async () => {
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: healthy.url,
      seeds: 5,
      settings: { poolSize: 5, targetDatasetSize: 50 },
      models: { strong: "fake-unknown-model", target: "fake-target-fatal-2" },
    });
    const { runId } = await startRun(projectId);
    const progress = await waitForRunSettled(runId, { timeoutMs: 30_000 });
    expect(progress.run.state).toBe("failed");
    expect(progress.run.lastError).toMatch(
      /^The strong endpoint \(fake-unknown-model at .*\) failed: Model "fake-unknown-model" is not served/,
    );
    expect(progress.stages.encode.failed).toBe(0);
  });
});

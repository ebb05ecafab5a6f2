// Crash takeover with the default heartbeat rules: a worker process holding jobs of a run (and of an evaluation)
// is killed with SIGKILL while another worker is alive; the live worker takes the orphaned jobs over within the
// 60 s the product promises, and the work finishes with nothing failed. Cancel reaches "cancelled" although the
// worker that held the run's jobs is dead, and the cancelled run resumes to completion.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { createEvalSet } from "@/lib/db/eval-sets";
import { findEvaluation } from "@/lib/db/evaluations";
import { customEndpoint } from "@/lib/evaluation/config";
import { startEvaluation } from "@/lib/evaluation/control";
import { loadPublicSet } from "@/lib/evaluation/public-sets";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { EVALUATION_QUEUE, PIPELINE_QUEUE, type QueueName } from "@/lib/jobs/contracts";
import { QUEUE_SCHEMA } from "@/lib/jobs/queue";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { cancelRun, resumeRun, startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { createTestProject, useTestDatabase } from "@/test/db";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createPipelineProject, waitForRunSettled } from "@/test/pipeline-fixtures";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
/** The product's promise: orphaned work is taken by a live worker within a minute. */
const takeoverBoundMs = 60_000;
let db: PrismaClient;
let server: FakeLlmServer;
let live: Worker | null = null;
const children = new Set<ChildProcess>();

function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/jobs/worker-main.ts"], {
    cwd: repoRoot,
    // The default expiry and heartbeat: nothing shortened for the test.
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      CODECLM_WORKER_CONCURRENCY: "8",
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function activeJobIds(queue: QueueName, match: Record<string, number>): Promise<string[]> {
  const result = await getPool().query<{ id: string }>(
    `SELECT id::text FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND state = 'active' AND data @> $2::jsonb`,
    [queue, JSON.stringify(match)],
  );
  return result.rows.map((row) => row.id);
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function stopLiveWorker(): Promise<void> {
  await live?.stop({ graceMs: 1000 });
  live = null;
}

/**
 * Once `child` (the only worker) holds jobs of `queue` matching `match`, starts a live in-process worker, kills
 * `child`, and returns how long the live worker took to hold (or finish) every job the dead one held.
 */
async function killAndMeasureTakeover(
  child: ChildProcess,
  queue: QueueName,
  match: Record<string, number>,
): Promise<{ orphans: number; takeoverMs: number }> {
  await waitFor(async () => (await activeJobIds(queue, match)).length > 0, 60_000, "the worker to hold jobs");
  live = await startWorker({ concurrency: 4 });
  const liveQueue = live.queueWorkers.find((worker) => worker.queue === queue)!;
  await killHard(child);
  const killedAt = Date.now();
  const heldByLive = new Set(liveQueue.heldJobIds());
  const orphans = (await activeJobIds(queue, match)).filter((id) => !heldByLive.has(id));
  await waitFor(
    async () => {
      const held = new Set(liveQueue.heldJobIds());
      const states = await getPool().query<{ id: string; state: string }>(
        `SELECT id::text, state::text FROM ${QUEUE_SCHEMA}.job WHERE id = ANY($1::uuid[])`,
        [orphans],
      );
      return states.rows.every((row) => row.state === "completed" || held.has(row.id));
    },
    takeoverBoundMs + 30_000,
    "the live worker to take the orphaned jobs over",
  );
  return { orphans: orphans.length, takeoverMs: Date.now() - killedAt };
}

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer({ latencyMs: 150 });
  configurePipeline({ superviseSeconds: 2, log: () => undefined });
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await live?.stop({ graceMs: 1000 });
  await closePipelineServices();
  await server?.stop();
});

const settings = { poolSize: 8, targetDatasetSize: 30, maxIterations: 2, gapThreshold: 3, randomSeed: 9 };

describe("crash takeover", () => {
  it("a live worker takes over a killed worker's run jobs within 60 s and the run completes with nothing failed", async () => {
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: server.url,
      seeds: 8,
      settings,
      models: { strong: "fake-strong-takeover", target: "fake-target-takeover" },
    });
    await stopLiveWorker();
    const doomed = spawnWorker();
    const { runId } = await startRun(projectId, { maxDecodeRounds: 1 });
    const { orphans, takeoverMs } = await killAndMeasureTakeover(doomed, PIPELINE_QUEUE, { runId });
    expect(orphans).toBeGreaterThan(0);
    expect(takeoverMs).toBeLessThanOrEqual(takeoverBoundMs);
    const settled = await waitForRunSettled(runId, { timeoutMs: 120_000 });
    expect(settled.run.state).toBe("completed");
    expect(settled.stages.iterate.pending).toBe(0);
    expect(await db.runError.count({ where: { runId } })).toBe(0);
  });

  it("a live worker takes over a killed worker's evaluation jobs within 60 s and every instruction is judged", async () => {
    const project = await createTestProject(db, "takeover evaluation");
    const { id: setId } = await createEvalSet(getPool(), {
      projectId: project.id,
      name: "Vicuna first 40",
      source: "file",
      sourceName: "vicuna.jsonl",
      license: null,
      licenseNotice: null,
      sha256: null,
      items: loadPublicSet("vicuna-80").items.slice(0, 40),
    });
    await stopLiveWorker();
    const doomed = spawnWorker();
    const { evaluationId } = await startEvaluation({
      projectId: project.id,
      setId,
      target: customEndpoint("target", { baseUrl: server.url, model: "fake-target-takeover-eval" }),
      reference: customEndpoint("strong", { baseUrl: server.url, model: "fake-strong-takeover-eval" }),
    });
    const { orphans, takeoverMs } = await killAndMeasureTakeover(doomed, EVALUATION_QUEUE, { evaluationId });
    expect(orphans).toBeGreaterThan(0);
    expect(takeoverMs).toBeLessThanOrEqual(takeoverBoundMs);
    await waitFor(
      async () => (await findEvaluation(getPool(), evaluationId))?.state !== "running",
      120_000,
      "the evaluation to end",
    );
    const evaluation = await findEvaluation(getPool(), evaluationId);
    expect(evaluation?.state).toBe("completed");
    expect(evaluation?.errorCount).toBe(0);
    expect(await db.evalResult.count({ where: { evaluationId, outcome: { not: null } } })).toBe(40);
  });

  it("cancel reaches cancelled when the worker holding the run's jobs is dead, and the run resumes", async () => {
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: server.url,
      seeds: 8,
      settings: { ...settings, randomSeed: 10 },
      models: { strong: "fake-strong-cancel-dead", target: "fake-target-cancel-dead" },
    });
    await stopLiveWorker();
    const doomed = spawnWorker();
    const { runId } = await startRun(projectId, { maxDecodeRounds: 1 });
    await waitFor(async () => (await activeJobIds(PIPELINE_QUEUE, { runId })).length > 0, 60_000, "work");
    await killHard(doomed);
    const { state } = await cancelRun(runId);
    expect(["cancelling", "cancelled"]).toContain(state);
    // Whichever worker is alive (here: one started after the crash) closes the cancel.
    live = await startWorker({ concurrency: 4 });
    await waitFor(
      async () => (await db.run.findUniqueOrThrow({ where: { id: runId } })).state === "cancelled",
      takeoverBoundMs + 30_000,
      "the run to be cancelled",
    );
    await resumeRun(runId);
    const settled = await waitForRunSettled(runId, { timeoutMs: 120_000 });
    expect(settled.run.state).toBe("completed");
    expect(settled.stages.iterate.pending).toBe(0);
  });
});

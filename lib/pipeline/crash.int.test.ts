// kill -9 of a worker process mid-run, then a new worker: the run finishes with the same kept set as an
// uninterrupted run of the same config and seed, no duplicated version, and only in-flight calls repeated.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useTestDatabase } from "@/test/db";
import { createPipelineProject, waitForRunSettled } from "@/test/pipeline-fixtures";

let db: PrismaClient;
const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const concurrency = 16;
const expireSeconds = 5;
let server: FakeLlmServer;
const children = new Set<ChildProcess>();

function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/jobs/worker-main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      CODECLM_WORKER_CONCURRENCY: String(concurrency),
      CODECLM_JOB_EXPIRE_SECONDS: String(expireSeconds),
      CODECLM_QUEUE_MAINTENANCE_SECONDS: "1",
      CODECLM_SUPERVISE_SECONDS: "1",
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function stopWorker(child: ChildProcess): Promise<void> {
  child.kill("SIGTERM");
  await exited(child);
}

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer({ latencyMs: 20 });
  // Jobs this process queues (startRun) get the same short expiry as the workers'.
  configurePipeline({ expireSeconds, superviseSeconds: 3600, log: () => undefined });
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await closePipelineServices();
  await server?.stop();
});

const settings = { poolSize: 20, targetDatasetSize: 100, maxIterations: 4, gapThreshold: 3, randomSeed: 5 };
const models = { strong: "fake-strong-crash", target: "fake-target-crash" };

async function keptSet(runId: number): Promise<string[]> {
  const rows = await getPool().query<{ text: string; answer: string; kept: string }>(
    `SELECT v.text, r.text AS answer, v."keptAnswer"::text AS kept FROM "InstructionVersion" v
     JOIN "Response" r ON r."instructionVersionId" = v.id AND r.role::text = v."keptAnswer"::text
     WHERE v."runId" = $1 AND v.state = 'kept'`,
    [runId],
  );
  return rows.rows.map((row) => JSON.stringify([row.text, row.kept, row.answer])).sort();
}

async function settledVersions(runId: number): Promise<number> {
  return db.instructionVersion.count({ where: { runId, state: { not: "pending" } } });
}

describe("crash recovery", () => {
  it("finishes a run after kill -9 of its worker, with the same result as an uninterrupted run", async () => {
    const crashedProject = await createPipelineProject(db, getPool(), {
      serverUrl: server.url,
      seeds: 20,
      settings,
      models,
      maxConcurrency: concurrency,
    });
    const { runId: crashedRun } = await startRun(crashedProject, { maxDecodeRounds: 1 });
    const first = spawnWorker();
    for (let i = 0; i < 600 && (await settledVersions(crashedRun)) < 40; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const callsBeforeKill = await db.llmCall.count({ where: { runId: crashedRun } });
    first.kill("SIGKILL");
    await exited(first);
    const atKill = await db.run.findUniqueOrThrow({ where: { id: crashedRun } });
    expect(atKill.state).toBe("running");
    expect(callsBeforeKill).toBeGreaterThan(0);
    expect(
      await db.instructionVersion.count({ where: { runId: crashedRun, state: "pending" } }),
    ).toBeGreaterThan(0);

    const second = spawnWorker();
    const crashed = await waitForRunSettled(crashedRun, { timeoutMs: 90_000 });
    await stopWorker(second);
    expect(crashed.run.state).toBe("completed");
    expect(crashed.run.stopReason).toBe("pool_exhausted");
    expect(crashed.stages.iterate.pending).toBe(0);

    // The same config and seed on a fresh project, uninterrupted.
    const cleanProject = await createPipelineProject(db, getPool(), {
      serverUrl: server.url,
      seeds: 20,
      settings,
      models,
      maxConcurrency: concurrency,
    });
    const { runId: cleanRun } = await startRun(cleanProject, { maxDecodeRounds: 1 });
    const third = spawnWorker();
    const clean = await waitForRunSettled(cleanRun, { timeoutMs: 90_000 });
    await stopWorker(third);
    expect(clean.run.state).toBe("completed");

    expect(await keptSet(crashedRun)).toEqual(await keptSet(cleanRun));
    expect(crashed.kept).toBeGreaterThan(0);
    expect(crashed.stages.iterate.total).toBe(clean.stages.iterate.total);
    expect(crashed.stages.iterate.basicInstructions).toBe(clean.stages.iterate.basicInstructions);

    // No duplicated version: one version per chain and iteration, one basic instruction per slot.
    const duplicates = await getPool().query(
      `SELECT "rootId", iteration FROM "InstructionVersion" WHERE "runId" = $1 GROUP BY 1, 2 HAVING count(*) > 1`,
      [crashedRun],
    );
    expect(duplicates.rows).toEqual([]);
    const judgements = await getPool().query<{ versions: number; judged: number }>(
      `SELECT count(*)::int AS versions, count(j.id)::int AS judged FROM "InstructionVersion" v
       LEFT JOIN "Judgement" j ON j."instructionVersionId" = v.id WHERE v."runId" = $1 AND v.state <> 'failed'`,
      [crashedRun],
    );
    expect(judgements.rows[0]!.judged).toBe(judgements.rows[0]!.versions);

    // Only calls in flight at the kill were paid twice.
    const repeated = await getPool().query<{ repeats: number }>(
      `SELECT COALESCE(sum(n - 1), 0)::int AS repeats FROM (
         SELECT count(*) AS n FROM "LlmCall" WHERE "runId" = $1 AND status = 'ok' GROUP BY fingerprint HAVING count(*) > 1) AS d`,
      [crashedRun],
    );
    expect(repeated.rows[0]!.repeats).toBeLessThanOrEqual(concurrency);
    // The uninterrupted run's answers all came from the cache the crashed run filled.
    expect(clean.llm.ok).toBe(0);
  });
});

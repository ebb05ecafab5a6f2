// Three worker processes share one run against a fake server that records the peak calls in flight per model:
// the endpoints' concurrency limits hold across the processes, not per process.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { endpointKey } from "@/lib/llm/endpoint-limiter";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { useTestDatabase } from "@/test/db";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createPipelineProject, waitForRunSettled } from "@/test/pipeline-fixtures";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const limit = 3;
let db: PrismaClient;
let server: FakeLlmServer;
const children = new Set<ChildProcess>();

function spawnWorker(): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "lib/jobs/worker-main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: inject("databaseUrl"),
      CODECLM_WORKER_CONCURRENCY: "16", // far more jobs per process than the endpoint allows calls
      CODECLM_SUPERVISE_SECONDS: "2",
      LOG_LEVEL: "error",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

async function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer({ latencyMs: 15 });
  configurePipeline({ superviseSeconds: 3600, log: () => undefined });
});

afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  await closePipelineServices();
  await server?.stop();
});

describe("endpoint limits across worker processes", () => {
  it("never has more calls in flight per endpoint than its limit, with three workers on one run", async () => {
    const models = { strong: "fake-strong-global", target: "fake-target-global" };
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: server.url,
      seeds: 10,
      settings: { poolSize: 12, targetDatasetSize: 24, maxIterations: 2, gapThreshold: 3, randomSeed: 3 },
      models,
      maxConcurrency: limit,
    });
    const workers = [spawnWorker(), spawnWorker(), spawnWorker()];
    const { runId } = await startRun(projectId, { maxDecodeRounds: 1 });
    const progress = await waitForRunSettled(runId, { timeoutMs: 100_000 });
    await Promise.all(workers.map(stopWorker));

    expect(progress.run.state).toBe("completed");
    const stats = server.stats();
    expect(stats.byModel[models.strong]).toBeGreaterThan(limit);
    expect(stats.byModel[models.target]).toBeGreaterThan(limit);
    expect(stats.inFlightMaxByModel[models.strong]).toBeLessThanOrEqual(limit);
    expect(stats.inFlightMaxByModel[models.target]).toBeLessThanOrEqual(limit);
    // Only this test's endpoints: the database is shared with other test files (whose killed workers' leases
    // stay until they expire).
    const keys = Object.values(models).map((model) => endpointKey({ baseUrl: server.url, model }));
    const leases = await getPool().query(
      `SELECT count(*)::int AS n FROM "LlmEndpointLease" WHERE key = ANY($1::text[])`,
      [keys],
    );
    expect(leases.rows[0]).toEqual({ n: 0 }); // every worker gave its slots back on SIGTERM
  });
});

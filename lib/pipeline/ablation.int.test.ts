// The paper's ablations (Table 3) as run switches, on real PostgreSQL and the fake LLM: without Contrastive
// Filtering every chain is rewritten to its last iteration and kept with the strong answer; "metadata only"
// keeps every basic instruction as it is.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { useTestDatabase } from "@/test/db";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createPipelineProject, waitForRunSettled } from "@/test/pipeline-fixtures";

let db: PrismaClient;
let server: FakeLlmServer;
let worker: Worker;

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer();
  configurePipeline({ superviseSeconds: 1, expireSeconds: 30, log: () => undefined });
  worker = await startWorker({ processors: ["pipeline"], concurrency: 8 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 2000 });
  await closePipelineServices();
  await server?.stop();
});

interface Row {
  id: number;
  iteration: number;
  state: string;
  keptAnswer: string | null;
  screenedOut: boolean;
  responses: number;
  decision: string | null;
}

async function runWith(settings: { selfRubrics: number; contrastiveFiltering: number }): Promise<Row[]> {
  const pool = getPool();
  const projectId = await createPipelineProject(db, pool, {
    serverUrl: server.url,
    seeds: 5,
    settings: { poolSize: 5, targetDatasetSize: 1000, maxIterations: 3, randomSeed: 8, ...settings },
  });
  const { runId } = await startRun(projectId, { maxDecodeRounds: 1 });
  const progress = await waitForRunSettled(runId, { timeoutMs: 90_000 });
  expect(progress.run.state).toBe("completed");
  const rows = await pool.query<Row>(
    `SELECT v.id, v.iteration, v.state::text AS state, v."keptAnswer"::text AS "keptAnswer",
       (v."duplicateOfId" IS NOT NULL OR v.contamination IS NOT NULL) AS "screenedOut",
       (SELECT count(*)::int FROM "Response" r WHERE r."instructionVersionId" = v.id) AS responses,
       j.decision::text AS decision
     FROM "InstructionVersion" v LEFT JOIN "Judgement" j ON j."instructionVersionId" = v.id WHERE v."runId" = $1`,
    [runId],
  );
  return rows.rows;
}

describe("ablation switches", () => {
  it("without Contrastive Filtering, rewrites every chain to its last iteration and keeps it with the strong answer", async () => {
    const rows = await runWith({ selfRubrics: 1, contrastiveFiltering: 0 });
    const answered = rows.filter((row) => !row.screenedOut && row.state !== "failed");
    expect(answered.some((row) => row.state === "kept")).toBe(true);
    for (const row of answered) {
      if (row.iteration < 3) {
        // Intermediate versions are rewritten unanswered and unjudged.
        expect(row.state).toBe("improved");
        expect(row.responses).toBe(0);
        expect(row.decision).toBeNull();
      } else {
        expect(row.state).toBe("kept");
        expect(row.keptAnswer).toBe("strong");
        expect(row.responses).toBe(2);
        expect(row.decision).toBe("keep_strong");
      }
    }
    expect(rows.filter((row) => row.state === "dropped" && !row.screenedOut)).toEqual([]);
  });

  it("metadata only: every basic instruction kept as it is, never rewritten", async () => {
    const rows = await runWith({ selfRubrics: 0, contrastiveFiltering: 0 });
    expect(rows.every((row) => row.iteration === 1)).toBe(true);
    const answered = rows.filter((row) => !row.screenedOut && row.state !== "failed");
    expect(answered.length).toBeGreaterThan(0);
    for (const row of answered) expect([row.state, row.keptAnswer]).toEqual(["kept", "strong"]);
  });

  it("without Self-Rubrics, filters basic instructions only: an unclear gap drops them at once", async () => {
    const rows = await runWith({ selfRubrics: 0, contrastiveFiltering: 1 });
    expect(rows.every((row) => row.iteration === 1)).toBe(true);
    const judged = rows.filter((row) => row.decision !== null);
    expect(judged.length).toBeGreaterThan(0);
    for (const row of judged) expect(["keep_strong", "keep_target", "drop"]).toContain(row.decision);
    expect(judged.some((row) => row.decision === "drop")).toBe(true);
  });
});

// Evaluations end to end on real PostgreSQL and the fake OpenAI-compatible server: every instruction answered by
// the target and the reference, judged in both orders; W/T/L and CRR from the stored scores; a worker restart
// that finishes the evaluation without paying for any call twice; cancel/resume; a fatal endpoint.
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { outcomeBothOrders } from "@/lib/codeclm/evaluate";
import { getPool } from "@/lib/db/client";
import { countSeedsInEvalSets, createEvalSet, listEvalSets } from "@/lib/db/eval-sets";
import { findEvaluation, type EvaluationRow } from "@/lib/db/evaluations";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { importSeeds } from "@/lib/db/seeds";
import { cancelEvaluation, resumeEvaluation, startEvaluation } from "@/lib/evaluation/control";
import { customEndpoint } from "@/lib/evaluation/config";
import { getEvaluationDetail } from "@/lib/evaluation/progress";
import { deleteQueuedJobsOfEvaluation } from "@/lib/jobs/queue";
import { loadPublicSet } from "@/lib/evaluation/public-sets";
import { addPublicSet } from "@/lib/evaluation/sets";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createTestProject, useTestDatabase } from "@/test/db";

let db: PrismaClient;
let pool: pg.Pool;
let server: FakeLlmServer;
let worker: Worker | null = null;

beforeAll(async () => {
  db = useTestDatabase();
  pool = getPool();
  server = await startFakeLlmServer({ latencyMs: 2 });
  configurePipeline({ superviseSeconds: 1, expireSeconds: 30, log: () => undefined });
  worker = await startWorker({ processors: ["evaluation"], concurrency: 8 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 2000 });
  await closePipelineServices();
  await server?.stop();
});

let modelCounter = 0;
/** Fresh model names per test, so the LLM cache of one test never serves another. */
function endpoints(options: { target?: string } = {}) {
  modelCounter += 1;
  return {
    target: customEndpoint("target", {
      baseUrl: server.url,
      model: options.target ?? `fake-target-eval-${modelCounter}`,
      maxTokens: 256,
    }),
    reference: customEndpoint("strong", {
      baseUrl: server.url,
      model: `fake-strong-eval-${modelCounter}`,
      maxTokens: 256,
    }),
    judge: customEndpoint("judge", { baseUrl: server.url, model: `fake-judge-eval-${modelCounter}` }),
  };
}

async function projectWithVicuna(count: number): Promise<{ projectId: number; setId: number }> {
  const project = await createTestProject(db, "evaluation");
  const items = loadPublicSet("vicuna-80").items.slice(0, count);
  const { id } = await createEvalSet(pool, {
    projectId: project.id,
    name: `Vicuna first ${count}`,
    source: "file",
    sourceName: "vicuna.jsonl",
    license: null,
    licenseNotice: null,
    sha256: null,
    items,
  });
  return { projectId: project.id, setId: id };
}

async function waitForState(
  evaluationId: number,
  states: EvaluationRow["state"][],
  timeoutMs = 60_000,
): Promise<EvaluationRow> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const evaluation = (await findEvaluation(pool, evaluationId))!;
    if (states.includes(evaluation.state)) return evaluation;
    if (Date.now() > deadline) throw new Error(`Evaluation ${evaluationId} is still ${evaluation.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function countResults(evaluationId: number): Promise<number> {
  const result = await pool.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "EvalResult" WHERE "evaluationId" = $1`,
    [evaluationId],
  );
  return result.rows[0]!.count;
}

/** Calls per status and fingerprints answered by the server more than once (a repeated, paid call). */
async function callLog(evaluationId: number) {
  const result = await pool.query<{ status: string; role: string; count: number }>(
    `SELECT status::text, role::text, count(*)::int AS count FROM "LlmCall" WHERE "evaluationId" = $1 GROUP BY 1, 2`,
    [evaluationId],
  );
  const repeated = await pool.query<{ fingerprint: string }>(
    `SELECT fingerprint FROM "LlmCall" WHERE "evaluationId" = $1 AND status = 'ok' GROUP BY fingerprint HAVING count(*) > 1`,
    [evaluationId],
  );
  const count = (filter: (row: { status: string; role: string }) => boolean) =>
    result.rows.filter(filter).reduce((sum, row) => sum + row.count, 0);
  return { count, repeated: repeated.rows.length };
}

describe("an evaluation", () => {
  it("answers every instruction with both endpoints, judges both orders at temperature 0 and reports W/T/L and CRR", async () => {
    const { projectId, setId } = await projectWithVicuna(12);
    const { evaluationId, instructions } = await startEvaluation({ projectId, setId, ...endpoints() });
    expect(instructions).toBe(12);
    const done = await waitForState(evaluationId, ["completed", "failed"]);
    expect(done.state).toBe("completed");

    const results = await pool.query<{
      targetAnswer: string;
      referenceAnswer: string;
      tA: number;
      rA: number;
      tB: number;
      rB: number;
      outcome: string;
      explanationOrderA: string;
    }>(
      `SELECT "targetAnswer", "referenceAnswer", "targetScoreOrderA" AS "tA", "referenceScoreOrderA" AS "rA",
         "targetScoreOrderB" AS "tB", "referenceScoreOrderB" AS "rB", outcome::text AS outcome, "explanationOrderA"
       FROM "EvalResult" WHERE "evaluationId" = $1`,
      [evaluationId],
    );
    expect(results.rows).toHaveLength(12);
    const counts = { win: 0, tie: 0, loss: 0 };
    for (const row of results.rows) {
      expect(row.targetAnswer.length).toBeGreaterThan(0);
      expect(row.referenceAnswer).not.toBe(row.targetAnswer);
      expect(row.explanationOrderA.length).toBeGreaterThan(0);
      for (const score of [row.tA, row.rA, row.tB, row.rB]) expect(score).toBeGreaterThanOrEqual(1);
      const expected = outcomeBothOrders(
        { assistant_1_score: row.tA, assistant_2_score: row.rA },
        { assistant_1_score: row.rB, assistant_2_score: row.tB },
      );
      expect(row.outcome).toBe(expected);
      counts[expected] += 1;
    }
    expect({ wins: done.wins, ties: done.ties, losses: done.losses }).toEqual({
      wins: counts.win,
      ties: counts.tie,
      losses: counts.loss,
    });
    expect(done.crr).toBeCloseTo((counts.win + counts.tie) / 12, 10);
    expect(done.crrLow!).toBeLessThanOrEqual(done.crr!);
    expect(done.crrHigh!).toBeGreaterThanOrEqual(done.crr!);
    expect(done.errorCount).toBe(0);

    // Four calls per instruction, accounted to the evaluation under the pipeline's roles.
    const log = await callLog(evaluationId);
    expect(log.count((row) => row.role === "target")).toBe(12);
    expect(log.count((row) => row.role === "strong")).toBe(12);
    expect(log.count((row) => row.role === "judge")).toBe(24);
    // Every job ends with a judge call, so the server's last request is one: at temperature 0, reference first.
    const last = server.lastChatRequest() as unknown as {
      temperature?: number;
      messages: { content: string }[];
    };
    expect(last.temperature).toBe(0);
    expect(last.messages.map((message) => message.content).join("\n")).toContain(
      "[The Start of Assistant 1's Answer]",
    );

    const detail = await getEvaluationDetail(pool, projectId, evaluationId);
    expect(detail.counts).toEqual({ total: 12, judged: 12, failed: 0, pending: 0 });
    expect(detail.summary.crr).toBe(done.crr);
    expect(detail.summary.byCategory.reduce((sum, row) => sum + row.total, 0)).toBe(12);
    expect(detail.summary.byCategory.map((row) => row.category)).toEqual(["generic", "knowledge"]);
    expect(detail.llm.calls).toBe(48);
  });

  it("finishes after a worker restart without paying for a completed call twice, re-queueing lost jobs", async () => {
    const { projectId, setId } = await projectWithVicuna(20);
    server.setOptions({ latencyMs: 40 });
    try {
      const { evaluationId } = await startEvaluation({ projectId, setId, ...endpoints() });
      const deadline = Date.now() + 30_000;
      while ((await countResults(evaluationId)) < 6) {
        if (Date.now() > deadline) throw new Error("no progress");
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // A crash: the worker stops without letting its jobs finish, and the queue loses every waiting job.
      await worker!.stop({ graceMs: 0 });
      worker = null;
      const before = await countResults(evaluationId);
      expect(before).toBeLessThan(20);
      expect((await findEvaluation(pool, evaluationId))!.state).toBe("running");
      await deleteQueuedJobsOfEvaluation(pool, evaluationId);

      worker = await startWorker({ processors: ["evaluation"], concurrency: 8 });
      const done = await waitForState(evaluationId, ["completed", "failed"]);
      expect(done.state).toBe("completed");
      expect(await countResults(evaluationId)).toBe(20);
      expect(done.wins + done.ties + done.losses).toBe(20);
      const log = await callLog(evaluationId);
      expect(log.repeated).toBe(0);
      expect(log.count((row) => row.status === "ok")).toBe(80);
    } finally {
      server.setOptions({ latencyMs: 2 });
    }
  });

  it("stops on cancel and resumes to completion, reusing what was answered", async () => {
    const { projectId, setId } = await projectWithVicuna(10);
    server.setOptions({ latencyMs: 30 });
    try {
      const { evaluationId } = await startEvaluation({ projectId, setId, ...endpoints() });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect((await cancelEvaluation(evaluationId)).state).toBe("cancelled");
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await countResults(evaluationId)).toBeLessThan(10);
      const resumed = await resumeEvaluation(evaluationId);
      expect(resumed.generation).toBe(2);
      const done = await waitForState(evaluationId, ["completed", "failed"]);
      expect(done.state).toBe("completed");
      expect(await countResults(evaluationId)).toBe(10);
      expect((await callLog(evaluationId)).repeated).toBe(0);
      await expect(resumeEvaluation(evaluationId)).rejects.toThrow(/complete/);
    } finally {
      server.setOptions({ latencyMs: 2 });
    }
  });

  it("fails with the endpoint named when the target model does not exist", async () => {
    const { projectId, setId } = await projectWithVicuna(5);
    const { evaluationId } = await startEvaluation({
      projectId,
      setId,
      ...endpoints({ target: "unknown-model" }),
    });
    const done = await waitForState(evaluationId, ["completed", "failed"]);
    expect(done.state).toBe("failed");
    expect(done.lastError).toMatch(
      /^The target endpoint \(unknown-model at http:\/\/127\.0\.0\.1:\d+\/v1\) failed: /,
    );
  });
});

describe("evaluation sets and seeds", () => {
  it("loads a public set once per project and counts instructions that are also seeds, both ways", async () => {
    const project = await createTestProject(db, "overlap");
    const koala = loadPublicSet("koala").items;
    await importSeeds(pool, {
      projectId: project.id,
      fileName: "seeds.jsonl",
      format: "jsonl",
      seeds: [
        { instruction: koala[3]!.instruction },
        { instruction: koala[7]!.instruction },
        { instruction: "Not in any set." },
      ],
      sha256: "test",
    });
    const added = await addPublicSet(pool, project.id, "koala");
    expect(added).toMatchObject({ created: true, instructionCount: 180, seedOverlap: 2 });
    expect(added.overlapExamples).toEqual([koala[3]!.instruction, koala[7]!.instruction]);
    expect(added.licenseNotice).toMatch(/do not use this test set for training/);
    const again = await addPublicSet(pool, project.id, "koala-180");
    expect(again).toMatchObject({ created: false, setId: added.setId });
    expect(await countSeedsInEvalSets(pool, project.id)).toBe(2);
    const [listed] = await listEvalSets(pool, project.id);
    expect(listed).toMatchObject({
      name: "Koala, 180",
      source: "public",
      license: "Apache-2.0",
      categoryCount: 0,
      seedOverlap: 2,
    });
  });
});

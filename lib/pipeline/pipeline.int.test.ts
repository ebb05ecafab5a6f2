// A full run end to end on real PostgreSQL and a fake OpenAI-compatible server: 20 Self-Instruct seeds →
// metadata pool → rubrics → basic instructions → Self-Rubrics + Contrastive Filtering, with lineage checked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { basicInstructionsPerEntry } from "@/lib/codeclm/decode";
import { textKey } from "@/lib/codeclm/text";
import { getPool } from "@/lib/db/client";
import { cancelRun, resumeRun, startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { useTestDatabase } from "@/test/db";
import { createPipelineProject, waitForRunEnd, waitForRunSettled } from "@/test/pipeline-fixtures";

let db: PrismaClient;
let server: FakeLlmServer;
let worker: Worker;

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer({ latencyMs: 5 });
  configurePipeline({ superviseSeconds: 1, expireSeconds: 30, log: () => undefined });
  worker = await startWorker({ processors: ["pipeline"], concurrency: 16 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 2000 });
  await closePipelineServices();
  await server?.stop();
});

interface VersionRow {
  id: number;
  parentId: number | null;
  rootId: number | null;
  iteration: number;
  state: string;
  keptAnswer: string | null;
  dropReason: string | null;
  actionApplied: string | null;
  gap: number | null;
  decision: string | null;
  judgementGap: number | null;
  orderInconsistent: boolean | null;
  screenedOut: boolean;
  responses: number;
  actions: string[] | null;
  promptVersion: string;
}

async function loadVersions(runId: number): Promise<Map<number, VersionRow>> {
  const result = await getPool().query<VersionRow>(
    `SELECT v.id, v."parentId", v."rootId", v.iteration, v.state::text AS state, v."keptAnswer"::text AS "keptAnswer",
       v."dropReason", v."actionApplied", v.gap, j.decision::text AS decision, j.gap AS "judgementGap",
       j."orderInconsistent", (v."duplicateOfId" IS NOT NULL OR v.contamination IS NOT NULL) AS "screenedOut",
       (SELECT count(*)::int FROM "Response" r WHERE r."instructionVersionId" = v.id) AS responses,
       rs.actions, v."promptVersion"
     FROM "InstructionVersion" v
     LEFT JOIN "Judgement" j ON j."instructionVersionId" = v.id
     LEFT JOIN "RubricSet" rs ON rs."metadataId" = v."metadataId"
     WHERE v."runId" = $1`,
    [runId],
  );
  return new Map(result.rows.map((row) => [row.id, row]));
}

describe("the CodecLM pipeline", () => {
  it("runs 20 seeds end to end with complete lineage", async () => {
    const theta = 3;
    const maxIterations = 4;
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: server.url,
      seeds: 20,
      settings: { poolSize: 20, targetDatasetSize: 30, gapThreshold: theta, maxIterations, randomSeed: 11 },
    });
    const { runId, poolMode } = await startRun(projectId);
    expect(poolMode).toBe("encode");
    const progress = await waitForRunSettled(runId, { timeoutMs: 60_000 });
    expect(progress.run.state).toBe("completed");
    expect(progress.run.stopReason).toBe("target_reached");
    expect(progress.kept).toBeGreaterThanOrEqual(30);
    expect(progress.stages.encode).toMatchObject({ total: 20, pending: 0 });
    expect(progress.stages.pool).toMatchObject({ total: 1, done: 1 });
    expect(progress.stages.rubrics.done).toBeGreaterThan(0);
    expect(progress.llm.calls).toBeGreaterThan(0);

    const entries = await db.metadataEntry.findMany({ where: { projectId } });
    expect(entries.length).toBeGreaterThanOrEqual(15);
    expect(entries.some((entry) => entry.origin === "seed" && entry.seedId !== null)).toBe(true);

    const versions = await loadVersions(runId);
    const kept = [...versions.values()].filter((version) => version.state === "kept");
    expect(kept.length).toBe(progress.kept);
    for (const version of kept) {
      // Judged, both answers stored, routing consistent with θ.
      expect(version.responses).toBe(2);
      expect(version.judgementGap).not.toBeNull();
      expect(Math.abs(version.judgementGap!)).toBeGreaterThan(theta);
      expect(version.decision).toBe(version.judgementGap! > 0 ? "keep_strong" : "keep_target");
      expect(version.keptAnswer).toBe(version.judgementGap! > 0 ? "strong" : "target");
      // The chain back to the basic instruction: one iteration per step, each parent rewritten by one action.
      let current = version;
      while (current.iteration > 1) {
        const parent = versions.get(current.parentId!);
        expect(parent).toBeDefined();
        expect(parent!.iteration).toBe(current.iteration - 1);
        expect(parent!.state).toBe("improved");
        expect(parent!.decision).toBe("next_iteration");
        // |G| ≤ θ, or a verdict whose two orders disagreed (not trusted, so rewritten like a small gap).
        if (!parent!.orderInconsistent) expect(Math.abs(parent!.judgementGap!)).toBeLessThanOrEqual(theta);
        expect(parent!.actions).toContain(current.actionApplied);
        expect(current.promptVersion).toBe("improve@1");
        expect(current.rootId).toBe(version.rootId);
        current = parent!;
      }
      expect(current.parentId).toBeNull();
      expect(current.rootId).toBe(current.id);
      expect(current.promptVersion).toBe("decode@1");
    }
    for (const version of versions.values()) {
      if (version.state === "dropped" && version.screenedOut) {
        // Screened out before answering: a near-duplicate or a test-set copy.
        expect(version.responses).toBe(0);
        expect(version.dropReason).toMatch(/^(Near-duplicate|Test-set contamination)/);
      } else if (version.state === "dropped" && version.dropReason?.startsWith("Not finished")) {
        // Unjudged, or judged for another round whose rewrite was never written, when the run kept its target:
        // dropped with that reason instead of left pending or "improved" without a child.
        expect(version.decision === null ? "unjudged" : version.decision).toMatch(
          version.dropReason.includes("rewrite") ? /^next_iteration$/ : /^unjudged$/,
        );
        expect(progress.run.stopReason).toBe("target_reached");
      } else if (version.state === "dropped") {
        expect(version.iteration).toBe(maxIterations);
        expect(version.decision).toBe("drop");
        expect(version.dropReason).toMatch(
          version.orderInconsistent ? /two orders disagreed/ : /No clear quality gap after 4 iterations/,
        );
      }
      if (version.state === "improved")
        expect([...versions.values()].some((child) => child.parentId === version.id)).toBe(true);
    }
  });

  it("uses the project's metadata entries when there are some, and cancels and resumes", async () => {
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: server.url,
      seeds: 0,
      settings: { poolSize: 5, targetDatasetSize: 1000, maxIterations: 2, randomSeed: 3 },
      models: { strong: "fake-strong-b", target: "fake-target-b", judge: "fake-judge-b" },
    });
    await db.metadataEntry.createMany({
      data: [
        {
          projectId,
          useCase: "code generation",
          skills: ["python", "algorithms"],
          origin: "handwritten",
          key: "code generation | algorithms, python",
        },
        {
          projectId,
          useCase: "creative writing",
          skills: ["poetry"],
          origin: "handwritten",
          key: "creative writing | poetry",
        },
        {
          projectId,
          useCase: "business planning",
          skills: ["market research"],
          origin: "handwritten",
          key: "x",
          plausible: false,
        },
      ],
    });
    const { runId, poolMode, queuedTasks } = await startRun(projectId, { maxDecodeRounds: 1 });
    expect(poolMode).toBe("existing");
    expect(queuedTasks).toBe(2);
    await expect(startRun(projectId)).rejects.toThrow(/still in progress/);
    const cancelled = await cancelRun(runId);
    expect(["cancelling", "cancelled"]).toContain(cancelled.state);
    const stopped = await waitForRunEnd(runId, { timeoutMs: 20_000 });
    expect(stopped.run.state).toBe("cancelled");

    const resumed = await resumeRun(runId);
    expect(resumed.generation).toBe(2);
    const progress = await waitForRunEnd(runId, { timeoutMs: 60_000 });
    expect(progress.run.state).toBe("completed");
    expect(progress.run.stopReason).toBe("pool_exhausted");
    expect(progress.stages.encode.total).toBe(0);
    expect(progress.stages.rubrics).toMatchObject({ total: 2, done: 2 });
    expect(progress.stages.iterate.pending).toBe(0);
    // The judge endpoint did the judging.
    const judgeCalls = await db.llmCall.count({ where: { runId, role: "judge", model: "fake-judge-b" } });
    expect(judgeCalls).toBeGreaterThan(0);
  });

  it("decodes another round from the observed yield when the kept count is short of the target", async () => {
    const target = 40;
    const projectId = await createPipelineProject(db, getPool(), {
      serverUrl: server.url,
      seeds: 0,
      settings: { targetDatasetSize: target, maxIterations: 2, randomSeed: 8 },
      models: { strong: "fake-strong-rounds", target: "fake-target-rounds" },
    });
    await db.metadataEntry.createMany({
      data: [
        {
          projectId,
          useCase: "question answering",
          skills: ["history"],
          origin: "handwritten",
          key: "question answering | history",
        },
        {
          projectId,
          useCase: "code review",
          skills: ["typescript", "testing"],
          origin: "handwritten",
          key: "code review | testing, typescript",
        },
      ],
    });
    const { runId } = await startRun(projectId, { maxDecodeRounds: 2 });
    const progress = await waitForRunSettled(runId, { timeoutMs: 60_000 });
    expect(progress.run.state).toBe("completed");
    expect(progress.stages.decode.rounds).toBe(2);

    const versions = await getPool().query<{
      text: string;
      slotKey: string | null;
      state: string;
      rootSlot: string;
    }>(
      `SELECT v.text, v."slotKey", v.state::text AS state, root."slotKey" AS "rootSlot"
       FROM "InstructionVersion" v JOIN "InstructionVersion" root ON root.id = v."rootId" WHERE v."runId" = $1`,
      [runId],
    );
    const roundOf = (slot: string) => Number(slot.split(":")[2]);
    const basic1 = versions.rows.filter((row) => row.slotKey && roundOf(row.slotKey) === 1);
    const kept1 = versions.rows.filter((row) => row.state === "kept" && roundOf(row.rootSlot) === 1).length;
    expect(kept1).toBeLessThan(target);
    // Round 2 asks each entry for what the round-1 yield says is still needed.
    const round2 = await db.runTask.findMany({ where: { runId, kind: "decode", round: 2 } });
    expect(round2).toHaveLength(2);
    const expected = basicInstructionsPerEntry({
      targetDatasetSize: target - kept1,
      poolSize: 2,
      observedYield: kept1 / basic1.length,
    });
    for (const task of round2) expect(task.input).toMatchObject({ count: expected });
    // Round 2 writes new instructions, none repeating round 1.
    const round1Keys = new Set(basic1.map((row) => textKey(row.text)));
    const basic2 = versions.rows.filter((row) => row.slotKey && roundOf(row.slotKey) === 2);
    expect(basic2.length).toBeGreaterThan(0);
    for (const row of basic2) expect(round1Keys.has(textKey(row.text))).toBe(false);
  });
});

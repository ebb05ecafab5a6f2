import { describe, expect, it } from "vitest";
import { metadataKey } from "@/lib/codeclm/pool";
import {
  getCostSummary,
  getCoverage,
  getDashboard,
  getGapHistogram,
  getVersionTotals,
} from "@/lib/db/dashboard";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestProject, useTestDatabase } from "@/test/db";

type State = "pending" | "kept" | "improved" | "dropped" | "failed";

async function entry(
  db: PrismaClient,
  projectId: number,
  useCase: string,
  skills: string[],
  origin: "seed" | "mixed",
) {
  return db.metadataEntry.create({
    data: { projectId, useCase, skills, origin, key: metadataKey(useCase, skills) },
  });
}

async function run(db: PrismaClient, projectId: number, gapThreshold: number) {
  return db.run.create({
    data: {
      projectId,
      configSnapshot: { version: 1, settings: { gapThreshold } },
      randomSeed: 0,
      state: "completed",
    },
  });
}

async function version(
  db: PrismaClient,
  ids: { projectId: number; runId: number; metadataId: number },
  fields: {
    iteration: number;
    state: State;
    gap?: number;
    keptAnswer?: "strong" | "target";
    reviewDecision?: "accepted" | "rejected";
  },
) {
  return db.instructionVersion.create({
    data: { ...ids, text: "An instruction", promptVersion: "t1", ...fields },
  });
}

/**
 * Project A, run 1 (θ 2.5): seed entries "Question answering" [history, reasoning] and "Coding" [algorithms],
 * a mixed entry "Poetry" [rhyme]. Versions: QA iteration 1 kept (gap 4, strong, accepted), QA iteration 1
 * improved (gap 1) → iteration 2 kept (gap -3.5, target, rejected), Poetry iteration 1 kept (gap 5.2), Coding
 * iteration 1 dropped (gap 0.25), one pending. Run 2 has one more kept QA version (gap 6).
 */
async function seedProject(db: PrismaClient) {
  const project = await createTestProject(db);
  await db.seed.createMany({
    data: ["a", "b", "c"].map((text) => ({ projectId: project.id, instruction: text, contentHash: text })),
  });
  const qa = await entry(db, project.id, "Question answering", ["history", "reasoning"], "seed");
  const coding = await entry(db, project.id, "Coding", ["algorithms"], "seed");
  const poetry = await entry(db, project.id, "Poetry", ["rhyme", "History"], "mixed");
  const first = await run(db, project.id, 2.5);
  const second = await run(db, project.id, 3);
  const inFirst = (metadataId: number) => ({ projectId: project.id, runId: first.id, metadataId });
  await version(db, inFirst(qa.id), {
    iteration: 1,
    state: "kept",
    gap: 4,
    keptAnswer: "strong",
    reviewDecision: "accepted",
  });
  await version(db, inFirst(qa.id), { iteration: 1, state: "improved", gap: 1 });
  await version(db, inFirst(qa.id), {
    iteration: 2,
    state: "kept",
    gap: -3.5,
    keptAnswer: "target",
    reviewDecision: "rejected",
  });
  await version(db, inFirst(poetry.id), { iteration: 1, state: "kept", gap: 5.2, keptAnswer: "strong" });
  await version(db, inFirst(coding.id), { iteration: 1, state: "dropped", gap: 0.25 });
  await version(db, inFirst(coding.id), { iteration: 1, state: "pending" });
  await version(
    db,
    { projectId: project.id, runId: second.id, metadataId: qa.id },
    { iteration: 1, state: "kept", gap: 6, keptAnswer: "strong" },
  );

  const call = {
    projectId: project.id,
    fingerprint: "f",
    baseUrl: "http://x/v1",
    model: "m",
    promptVersion: "v1",
  };
  await db.llmCall.createMany({
    data: [
      {
        ...call,
        runId: first.id,
        role: "strong",
        promptName: "decode",
        promptTokens: 100,
        completionTokens: 50,
        costUsd: 0.25,
        status: "ok",
      },
      { ...call, runId: first.id, role: "strong", promptName: "decode", status: "cache_hit" },
      {
        ...call,
        runId: first.id,
        role: "target",
        promptName: "respond",
        promptTokens: 10,
        completionTokens: 5,
        costUsd: 0.01,
        status: "ok",
      },
      {
        ...call,
        runId: second.id,
        role: "strong",
        promptName: "judge",
        promptTokens: 7,
        costUsd: 0.5,
        status: "error",
      },
      // Not a run's call (e.g. an evaluation): not part of the pipeline's cost.
      { ...call, role: "strong", promptName: "eval", costUsd: 9, status: "ok" },
    ],
  });
  return { project, first, second };
}

describe("dashboard queries", () => {
  it("counts versions by state, iteration, kept answer and human decision", async () => {
    const db = useTestDatabase();
    const { project, first } = await seedProject(db);
    await seedProject(db); // another project's data never leaks in

    const totals = await getVersionTotals(db, { projectId: project.id });
    expect(totals.total).toBe(7);
    expect(totals.byState).toEqual({ pending: 1, kept: 4, improved: 1, dropped: 1, failed: 0, surplus: 0 });
    expect(totals.keptByAnswer).toEqual({ strong: 3, target: 1 });
    expect(totals.review).toEqual({ accepted: 1, rejected: 1, undecided: 2 });
    expect(
      totals.iterations.map((row) => [row.iteration, row.byState.kept, row.keptShare, row.keepRate]),
    ).toEqual([
      [1, 3, 0.75, 3 / 5],
      [2, 1, 0.25, 1],
    ]);

    const firstOnly = await getVersionTotals(db, { projectId: project.id, runId: first.id });
    expect(firstOnly.byState.kept).toBe(3);
  });

  it("buckets judged gaps by half points and leaves out pending versions", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db);
    const histogram = await getGapHistogram(db, { projectId: project.id });
    expect(histogram).toEqual([
      { gap: -3.5, kept: 1, improved: 0, dropped: 0 },
      { gap: 0.5, kept: 0, improved: 0, dropped: 1 }, // 0.25 rounds to the 0.5 bucket
      { gap: 1, kept: 0, improved: 1, dropped: 0 },
      { gap: 4, kept: 1, improved: 0, dropped: 0 },
      { gap: 5, kept: 1, improved: 0, dropped: 0 },
      { gap: 6, kept: 1, improved: 0, dropped: 0 },
    ]);
    expect(await getGapHistogram(db, { projectId: project.id }, { bucketWidth: 2 })).toEqual([
      { gap: -4, kept: 1, improved: 0, dropped: 0 },
      { gap: 0, kept: 0, improved: 0, dropped: 1 },
      { gap: 2, kept: 0, improved: 1, dropped: 0 },
      { gap: 4, kept: 1, improved: 0, dropped: 0 },
      { gap: 6, kept: 2, improved: 0, dropped: 0 },
    ]);
  });

  it("compares the kept data's use cases and skills with the seed entries'", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db);
    const coverage = await getCoverage(db, { projectId: project.id });
    expect(coverage.seedEntries).toBe(2);
    expect(coverage.kept).toBe(4);
    expect(coverage.useCases).toEqual({
      seedLabels: 2,
      coveredLabels: 1,
      newLabels: 1,
      rows: [
        { label: "Question answering", seedEntries: 1, kept: 3 },
        { label: "Coding", seedEntries: 1, kept: 0 },
        { label: "Poetry", seedEntries: 0, kept: 1 },
      ],
      others: null,
    });
    // "history" (seed) and "History" (mixed) are one skill: 3 QA + 1 poetry kept.
    expect(coverage.skills.rows.find((row) => row.label.toLowerCase() === "history")).toMatchObject({
      seedEntries: 1,
      kept: 4,
    });
    expect(coverage.skills).toMatchObject({ seedLabels: 3, coveredLabels: 2, newLabels: 1 });

    const folded = await getCoverage(db, { projectId: project.id }, { top: 1 });
    expect(folded.useCases.others).toEqual({ labels: 2, seedEntries: 1, kept: 1 });
  });

  it("sums the runs' LLM calls, tokens and cost by prompt, without calls outside runs", async () => {
    const db = useTestDatabase();
    const { project, second } = await seedProject(db);
    const cost = await getCostSummary(db, { projectId: project.id });
    expect(cost).toMatchObject({
      calls: 4,
      cacheHits: 1,
      errors: 1,
      promptTokens: 117,
      completionTokens: 55,
    });
    expect(cost.costUsd).toBeCloseTo(0.76);
    expect(cost.byPrompt[0]).toMatchObject({ promptName: "judge", role: "strong", calls: 1, errors: 1 });
    expect(cost.byPrompt.find((row) => row.promptName === "decode")).toMatchObject({
      calls: 2,
      cacheHits: 1,
      promptTokens: 100,
    });
    expect((await getCostSummary(db, { projectId: project.id, runId: second.id })).costUsd).toBeCloseTo(0.5);
  });

  it("gathers everything with the selected run's θ, and empty numbers for a project without runs", async () => {
    const db = useTestDatabase();
    const { project, first } = await seedProject(db);
    const dashboard = await getDashboard(db, { projectId: project.id });
    expect(dashboard.runs.map((row) => row.gapThreshold)).toEqual([3, 2.5]);
    expect(dashboard.gapThreshold).toBe(3); // the latest run's
    expect((await getDashboard(db, { projectId: project.id, runId: first.id })).gapThreshold).toBe(2.5);
    expect(dashboard.inputs).toEqual({ seeds: 3, metadata: { total: 3, seed: 2, mixed: 1, handwritten: 0 } });

    const empty = await createTestProject(db);
    await db.project.update({ where: { id: empty.id }, data: { gapThreshold: 2 } });
    const nothing = await getDashboard(db, { projectId: empty.id });
    expect(nothing).toMatchObject({
      runs: [],
      gapThreshold: 2,
      versions: { total: 0, iterations: [] },
      gapHistogram: [],
      coverage: { seedEntries: 0, kept: 0, useCases: { rows: [], others: null } },
      cost: { calls: 0, costUsd: 0, byPrompt: [] },
    });
  });
});

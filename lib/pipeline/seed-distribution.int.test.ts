// The seed distribution kept through the pool: near-synonym use cases merge, and the basic instructions per
// metadata entry follow the share of seeds behind each use case (4 of 6 seeds are question answering here).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { cancelRun, startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { useTestDatabase } from "@/test/db";
import { messageText, type ChatRequestBody } from "@/test/fake-llm/answers";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createPipelineProject, readSelfInstructSeeds, waitForRunSettled } from "@/test/pipeline-fixtures";

let db: PrismaClient;
let server: FakeLlmServer;
let worker: Worker;

const seeds = readSelfInstructSeeds(6);
const encoded = [
  { use_case: "question answering", skills: ["history"] },
  { use_case: "Answering questions", skills: ["history"] }, // a near-synonym of the first: merged into it
  { use_case: "question answering", skills: ["geography"] },
  { use_case: "question-answering", skills: ["science"] },
  { use_case: "poetry", skills: ["rhyme"] },
  { use_case: "poetry", skills: ["meter"] },
];

function encodeReply(body: ChatRequestBody): string | null {
  if (!messageText(body.messages[0]?.content).includes("act as an instruction analyzer")) return null;
  const last = messageText(body.messages[body.messages.length - 1]?.content);
  const index = seeds.findIndex((seed) => last.includes(seed.instruction));
  return index >= 0 ? JSON.stringify(encoded[index]) : null;
}

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer({ replyWith: encodeReply });
  configurePipeline({ superviseSeconds: 1, expireSeconds: 30, log: () => undefined });
  worker = await startWorker({ processors: ["pipeline"], concurrency: 8 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 2000 });
  await closePipelineServices();
  await server?.stop();
});

async function decodeCounts(weightBySeeds: number): Promise<Map<string, number[]>> {
  const projectId = await createPipelineProject(db, getPool(), {
    serverUrl: server.url,
    seeds: 6,
    settings: { poolSize: 5, targetDatasetSize: 30, randomSeed: 4, weightBySeeds },
  });
  const { runId } = await startRun(projectId);
  for (let i = 0; i < 600; i++) {
    const pool = await db.runTask.findFirst({ where: { runId, kind: "pool" } });
    if (pool?.state === "done") break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await cancelRun(runId).catch(() => undefined);
  await waitForRunSettled(runId, { timeoutMs: 60_000 });
  const tasks = await db.runTask.findMany({ where: { runId, kind: "rubrics" } });
  const entries = await db.metadataEntry.findMany({ where: { projectId } });
  const useCaseOf = new Map(entries.map((entry) => [entry.id, entry.useCase]));
  const counts = new Map<string, number[]>();
  for (const task of tasks) {
    const useCase = useCaseOf.get(task.itemId!)!;
    const count = (task.input as { decodeCount: number }).decodeCount;
    counts.set(useCase, [...(counts.get(useCase) ?? []), count]);
  }
  return counts;
}

describe("the seed distribution", () => {
  it("merges near-synonym use cases and gives each use case its seeds' share of basic instructions", async () => {
    const counts = await decodeCounts(1);
    // One spelling per use case: the four question-answering seeds are one use case.
    expect([...counts.keys()].sort()).toEqual(["poetry", "question answering"]);
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    const qa = sum(counts.get("question answering")!);
    const poetry = sum(counts.get("poetry")!);
    // 4 of 6 seeds: two thirds of the basic instructions, up to one instruction of rounding per entry.
    const entries = counts.get("question answering")!.length + counts.get("poetry")!.length;
    expect(Math.abs(qa - ((qa + poetry) * 4) / 6)).toBeLessThanOrEqual(entries);
    expect(qa).toBeGreaterThan(poetry);
  });

  it("gives every entry the same count with the setting off (the paper)", async () => {
    const counts = await decodeCounts(0);
    const all = [...counts.values()].flat();
    expect(new Set(all).size).toBe(1);
  });
});

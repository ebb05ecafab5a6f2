// For pipeline integration tests and benchmarks: a project with Self-Instruct seeds and endpoints on a fake
// LLM server, and waiting for a run to end.
import { readFileSync } from "node:fs";
import type pg from "pg";
import type { MethodSettings } from "@/lib/codeclm/settings";
import { importSeeds } from "@/lib/db/seeds";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getPool } from "@/lib/db/client";
import { countActiveJobsOfRun } from "@/lib/jobs/queue";
import { pipelineSettings } from "@/lib/pipeline/services";
import { getRunProgress, type RunProgress } from "@/lib/pipeline/progress";
import { repoPath } from "@/lib/repo-root";

export const SELF_INSTRUCT_SEEDS = repoPath("data", "self-instruct", "seed_tasks.jsonl");

export function readSelfInstructSeeds(count: number): Array<{ instruction: string; input: string }> {
  return readFileSync(SELF_INSTRUCT_SEEDS, "utf8")
    .split("\n")
    .filter((line) => line.trim())
    .slice(0, count)
    .map((line) => {
      const record = JSON.parse(line) as { instruction: string; instances?: Array<{ input?: string }> };
      return { instruction: record.instruction, input: record.instances?.[0]?.input ?? "" };
    });
}

export interface PipelineProjectOptions {
  serverUrl: string;
  seeds: number;
  settings: Partial<MethodSettings>;
  /** Model names on the fake server; "strong" in a name makes its answers longer. */
  models?: { strong: string; target: string; judge?: string };
  maxConcurrency?: number;
  name?: string;
}

let counter = 0;

export async function createPipelineProject(
  db: PrismaClient,
  pool: pg.Pool,
  options: PipelineProjectOptions,
): Promise<number> {
  counter += 1;
  const project = await db.project.create({
    data: { name: options.name ?? `pipeline test ${counter}`, ...options.settings },
    select: { id: true },
  });
  const models = options.models ?? { strong: "fake-strong", target: "fake-target" };
  const endpoint = (role: "strong" | "target" | "judge", model: string) => ({
    projectId: project.id,
    role,
    baseUrl: options.serverUrl,
    model,
    maxConcurrency: options.maxConcurrency ?? 64,
    maxTokens: 512,
    timeoutMs: 10_000,
  });
  await db.endpoint.createMany({
    data: [
      endpoint("strong", models.strong),
      endpoint("target", models.target),
      ...(models.judge ? [endpoint("judge", models.judge)] : []),
    ],
  });
  if (options.seeds > 0) {
    await importSeeds(pool, {
      projectId: project.id,
      fileName: "seed_tasks.jsonl",
      format: "jsonl",
      instructionField: "instruction",
      inputField: "instances[0].input",
      seeds: readSelfInstructSeeds(options.seeds),
      sha256: "test",
    });
  }
  return project.id;
}

const endedStates = new Set(["completed", "failed", "cancelled"]);

/** Polls the run until it ends (or the timeout passes, which throws with the last progress). */
export async function waitForRunEnd(
  runId: number,
  options: { timeoutMs?: number; pollMs?: number } = {},
): Promise<RunProgress> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let progress = await getRunProgress(runId);
  while (!endedStates.has(progress.run.state)) {
    if (Date.now() > deadline) {
      throw new Error(
        `Run ${runId} did not end in time: ${JSON.stringify({ state: progress.run.state, stages: progress.stages })}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
    progress = await getRunProgress(runId);
  }
  return progress;
}

/**
 * Waits until the run has ended and no worker is still finishing one of its jobs (jobs in flight when a run
 * reaches its target still store what they already paid for), then returns the final progress.
 */
export async function waitForRunSettled(
  runId: number,
  options: { timeoutMs?: number } = {},
): Promise<RunProgress> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  await waitForRunEnd(runId, options);
  while ((await countActiveJobsOfRun(getPool(), runId, pipelineSettings().expireSeconds)) > 0) {
    if (Date.now() > deadline) throw new Error(`Jobs of run ${runId} are still active`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return getRunProgress(runId);
}

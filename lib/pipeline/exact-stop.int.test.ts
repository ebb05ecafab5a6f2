// Exact stop at concurrency 64: a run with target N keeps exactly N (keeps beyond it are stored as surplus), no
// version is left pending, no LLM call reaches the fake once the run says completed, and every kept record's
// answers link the call of the right prompt and role.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { useTestDatabase } from "@/test/db";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createPipelineProject, waitForRunEnd } from "@/test/pipeline-fixtures";

let db: PrismaClient;
let server: FakeLlmServer;
let worker: Worker | null = null;
const concurrency = 64;

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer({ latencyMs: 5 });
  configurePipeline({ superviseSeconds: 1, log: () => undefined });
  worker = await startWorker({ processors: ["pipeline"], concurrency });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 2000 });
  await closePipelineServices();
  await server?.stop();
});

describe("exact stop", () => {
  it("keeps exactly N at concurrency 64 over several runs, with nothing pending and no call after completed", async () => {
    for (const [index, target] of [11, 20].entries()) {
      const projectId = await createPipelineProject(db, getPool(), {
        serverUrl: server.url,
        seeds: 20,
        settings: {
          poolSize: 12,
          targetDatasetSize: target,
          maxIterations: 3,
          gapThreshold: 3,
          randomSeed: index,
        },
        models: { strong: `fake-strong-stop-${index}`, target: `fake-target-stop-${index}` },
        maxConcurrency: concurrency,
      });
      const { runId } = await startRun(projectId, { maxDecodeRounds: 10 });
      const progress = await waitForRunEnd(runId, { timeoutMs: 400_000, pollMs: 20 });
      const callsAtEnd = server.stats().chatRequests;
      expect(progress.run.state).toBe("completed");
      expect(progress.run.stopReason).toBe("target_reached");

      const states = await db.instructionVersion.groupBy({
        by: ["state"],
        where: { runId },
        _count: { _all: true },
      });
      const count = (state: string) => states.find((row) => row.state === state)?._count._all ?? 0;
      expect(count("kept")).toBe(target);
      expect(count("pending")).toBe(0);
      const run = await db.run.findUniqueOrThrow({ where: { id: runId } });
      expect(run.keptCount).toBe(target);

      // Nothing reaches the fake after "completed": not in the time before we saw it, nor later.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(server.stats().chatRequests).toBe(callsAtEnd);
      expect(server.stats().lastChatAt!).toBeLessThanOrEqual(run.finishedAt!.getTime());

      // Every answer of a kept record links a call of its role and of the respond prompt, made for this run.
      const links = await getPool().query<{
        role: string;
        callRole: string | null;
        prompt: string | null;
        run: number | null;
      }>(
        `SELECT r.role::text AS role, c.role::text AS "callRole", c."promptName" AS prompt, c."runId" AS run
         FROM "Response" r JOIN "InstructionVersion" v ON v.id = r."instructionVersionId"
         LEFT JOIN "LlmCall" c ON c.id = r."llmCallId"
         WHERE v."runId" = $1 AND v.state = 'kept'`,
        [runId],
      );
      expect(links.rows).toHaveLength(target * 2);
      for (const link of links.rows) {
        expect(link.callRole).toBe(link.role);
        expect(link.prompt).toBe("respond");
        expect(link.run).toBe(runId);
      }
    }
  }, 900_000);
});

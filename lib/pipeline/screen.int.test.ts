// The run-wide screen on a real run: the fake's decode calls return the same poem request in other words for
// every metadata entry, an instruction of the project's own evaluation set and one of the bundled Vicuna set.
// None of the near-duplicates or test items may reach the answer step, and each drop names its twin or test item.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rougeL } from "@/lib/codeclm/similarity";
import { getPool } from "@/lib/db/client";
import { createEvalSet } from "@/lib/db/eval-sets";
import { getRunQualityReport } from "@/lib/db/run-quality";
import { listContaminatedVersions } from "@/lib/db/screening";
import { loadPublicSet } from "@/lib/evaluation/public-sets";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import { useTestDatabase } from "@/test/db";
import { messageText, type ChatRequestBody } from "@/test/fake-llm/answers";
import { randomToken, seededRandom } from "@/test/fake-llm/seeded-random";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createPipelineProject, waitForRunSettled } from "@/test/pipeline-fixtures";

let db: PrismaClient;
let server: FakeLlmServer;
let worker: Worker;

const planted =
  "Plan a surprise birthday party for my grandmother, who loves gardening and old jazz records.";
const vicunaItem = loadPublicSet("vicuna-80").items[0]!;
const poemVariants = [
  "Write a short poem about the ocean at night for a children's book.",
  "Write a short poem about the ocean at night for a children's picture book.",
  "Write a short rhyming poem about the ocean at night for a children's book.",
  "Please write a short poem about the ocean at night for a children's book.",
  "Write one short poem about the ocean at night for a children's book.",
  "Write a short poem about the sea at night for a children's book.",
];

/** Decode calls: one poem variant (differs per entry), the planted test items, and one unique instruction. */
function decodeReply(body: ChatRequestBody): string | null {
  const system = messageText(body.messages[0]?.content);
  if (!system.includes("act as an instruction writer")) return null;
  const user = messageText(body.messages[1]?.content);
  const random = seededRandom(user);
  const unique = `Explain ${Array.from({ length: 12 }, () => randomToken(random)).join(" ")}.`;
  const variant = poemVariants[Math.floor(random() * poemVariants.length)]!;
  return JSON.stringify({ instructions: [variant, planted, vicunaItem.instruction, unique] });
}

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer({ replyWith: decodeReply });
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
  rootId: number;
  text: string;
  state: string;
  dropReason: string | null;
  screenOrder: string | null;
  duplicateOfId: number | null;
  duplicateScore: number | null;
  responses: number;
}

describe("the run-wide screen", () => {
  it("keeps no near-duplicates and drops planted evaluation instructions before answering them", async () => {
    const pool = getPool();
    const projectId = await createPipelineProject(db, pool, {
      serverUrl: server.url,
      seeds: 6,
      settings: { poolSize: 6, targetDatasetSize: 500, maxIterations: 2, randomSeed: 3 },
    });
    await createEvalSet(pool, {
      projectId,
      name: "Our holdout",
      source: "file",
      sourceName: "holdout.jsonl",
      license: null,
      licenseNotice: null,
      sha256: null,
      items: [
        {
          instruction: "Summarise the plot of Hamlet in two sentences.",
          input: "",
          category: null,
          sourceId: "h1",
          contentHash: "a",
        },
        { instruction: planted, input: "", category: null, sourceId: "h2", contentHash: "b" },
      ],
    });
    const { runId } = await startRun(projectId, { maxDecodeRounds: 1 });
    const progress = await waitForRunSettled(runId, { timeoutMs: 90_000 });
    expect(progress.run.state).toBe("completed");

    const rows = (
      await pool.query<Row>(
        `SELECT v.id, COALESCE(v."rootId", v.id) AS "rootId", v.text, v.state::text AS state, v."dropReason",
           v."screenOrder"::text AS "screenOrder", v."duplicateOfId", v."duplicateScore",
           (SELECT count(*)::int FROM "Response" r WHERE r."instructionVersionId" = v.id) AS responses
         FROM "InstructionVersion" v WHERE v."runId" = $1 ORDER BY v.id`,
        [runId],
      )
    ).rows;
    const basics = rows.filter((row) => row.id === row.rootId);
    expect(basics.length).toBeGreaterThanOrEqual(12); // ≥ 3 entries × 4 instructions

    // Passed instructions of different chains are never near-duplicates of each other.
    const passed = rows.filter((row) => row.screenOrder !== null);
    for (const [i, a] of passed.entries()) {
      for (const b of passed.slice(i + 1)) {
        if (a.rootId !== b.rootId) expect(rougeL(a.text, b.text), `${a.text} ~ ${b.text}`).toBeLessThan(0.7);
      }
    }
    const poems = basics.filter((row) => row.text.includes("poem about the"));
    expect(poems.length).toBeGreaterThanOrEqual(3);
    expect(poems.filter((row) => row.screenOrder !== null)).toHaveLength(1);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const duplicates = rows.filter((row) => row.duplicateOfId !== null);
    expect(duplicates.length).toBeGreaterThanOrEqual(poems.length - 1);
    for (const duplicate of duplicates) {
      const twin = byId.get(duplicate.duplicateOfId!)!;
      expect(duplicate.state).toBe("dropped");
      expect(duplicate.responses).toBe(0);
      expect(twin.screenOrder).not.toBeNull();
      expect(rougeL(duplicate.text, twin.text)).toBeCloseTo(duplicate.duplicateScore!, 9);
      expect(duplicate.duplicateScore!).toBeGreaterThanOrEqual(0.7);
      expect(duplicate.dropReason).toContain("Near-duplicate (ROUGE-L");
    }

    // Every copy of a test item is dropped unanswered, with its set and item named.
    const contaminated = await listContaminatedVersions(pool, runId);
    const plantedRows = rows.filter((row) => row.text === planted);
    const vicunaRows = rows.filter((row) => row.text === vicunaItem.instruction);
    expect(plantedRows.length).toBeGreaterThanOrEqual(3);
    expect(vicunaRows.length).toBeGreaterThanOrEqual(3);
    for (const row of [...plantedRows, ...vicunaRows]) {
      expect(row.state).toBe("dropped");
      expect(row.responses).toBe(0);
      expect(row.dropReason).toContain("Test-set contamination");
    }
    const bySet = new Map<string, Set<string>>();
    for (const entry of contaminated) {
      bySet.set(entry.match.setName, (bySet.get(entry.match.setName) ?? new Set()).add(entry.match.itemId));
    }
    expect(bySet.get("Our holdout")).toEqual(new Set(["h2"]));
    expect(bySet.get("vicuna-80")).toEqual(new Set([vicunaItem.sourceId]));
    expect(contaminated).toHaveLength(plantedRows.length + vicunaRows.length);
    expect(
      rows.filter((row) => row.state === "kept" && [planted, vicunaItem.instruction].includes(row.text)),
    ).toEqual([]);

    // The judge's raw answers are stored with each judgement, and the flag matches the stored scores.
    const judgements = await pool.query<{
      rawOrderA: string | null;
      rawOrderB: string | null;
      strongScoreOrderA: number;
      targetScoreOrderA: number;
      strongScoreOrderB: number;
      targetScoreOrderB: number;
      orderInconsistent: boolean;
    }>(
      `SELECT j."rawOrderA", j."rawOrderB", j."strongScoreOrderA", j."targetScoreOrderA", j."strongScoreOrderB",
         j."targetScoreOrderB", j."orderInconsistent"
       FROM "Judgement" j JOIN "InstructionVersion" v ON v.id = j."instructionVersionId" WHERE v."runId" = $1`,
      [runId],
    );
    expect(judgements.rows.length).toBeGreaterThan(0);
    for (const judgement of judgements.rows) {
      const a = JSON.parse(judgement.rawOrderA!) as { assistant_1_score: number; assistant_2_score: number };
      const b = JSON.parse(judgement.rawOrderB!) as { assistant_1_score: number; assistant_2_score: number };
      expect([a.assistant_1_score, a.assistant_2_score]).toEqual([
        judgement.strongScoreOrderA,
        judgement.targetScoreOrderA,
      ]);
      expect([b.assistant_1_score, b.assistant_2_score]).toEqual([
        judgement.targetScoreOrderB,
        judgement.strongScoreOrderB,
      ]);
      const gapA = judgement.strongScoreOrderA - judgement.targetScoreOrderA;
      const gapB = judgement.strongScoreOrderB - judgement.targetScoreOrderB;
      expect(judgement.orderInconsistent).toBe(gapA * gapB < 0);
    }

    // The run's report: screen counts, the per-set contamination report, and θ replayed from the stored gaps.
    const report = await getRunQualityReport(pool, { projectId, runId });
    expect(report.screen.nearDuplicates).toBe(duplicates.length);
    expect(report.screen.contaminated).toBe(contaminated.length);
    expect(report.contaminationBySet).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ setName: "Our holdout", dropped: plantedRows.length, items: 1 }),
        expect.objectContaining({ setName: "vicuna-80", dropped: vicunaRows.length, items: 1 }),
      ]),
    );
    expect(report.judge.judged).toBe(judgements.rows.length);
    expect(report.judge.inconsistent).toBe(
      judgements.rows.filter((judgement) => judgement.orderInconsistent).length,
    );
    // At the run's own θ the replay must give what the run decided.
    const atTheta = report.calibration.find((row) => row.theta === report.theta)!;
    const outcome = await pool.query<{ strong: number; target: number; dropped: number }>(
      `SELECT count(*) FILTER (WHERE v.state = 'kept' AND v."keptAnswer" = 'strong')::int AS strong,
         count(*) FILTER (WHERE v.state = 'kept' AND v."keptAnswer" = 'target')::int AS target,
         count(*) FILTER (WHERE v.state = 'dropped' AND j.decision = 'drop')::int AS dropped
       FROM "InstructionVersion" v LEFT JOIN "Judgement" j ON j."instructionVersionId" = v.id WHERE v."runId" = $1`,
      [runId],
    );
    expect(atTheta.keptStrong).toBe(outcome.rows[0]!.strong);
    expect(atTheta.keptTarget).toBe(outcome.rows[0]!.target);
    expect(atTheta.dropped).toBe(outcome.rows[0]!.dropped);
    expect(atTheta.keptStrong + atTheta.keptTarget).toBeGreaterThan(0);
    // A lower θ keeps at least as many chains, with nothing unknown: every version it needs was generated.
    const lower = report.calibration.find((row) => row.theta === report.theta - 1)!;
    expect(lower.undetermined).toBe(0);
    expect(lower.keptStrong + lower.keptTarget).toBeGreaterThanOrEqual(
      atTheta.keptStrong + atTheta.keptTarget,
    );
  });
});

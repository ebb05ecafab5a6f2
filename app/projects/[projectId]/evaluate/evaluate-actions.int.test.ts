// The Evaluate page's server actions and the routes it reads, as the browser calls them (without the browser):
// load a set, import a file, start with the project's strong model as reference, read, compare, drill down.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as compareRoute } from "@/app/api/projects/[projectId]/evaluations/compare/route";
import { GET as drillDownRoute } from "@/app/api/projects/[projectId]/evaluations/drill-down/route";
import { GET as detailRoute } from "@/app/api/projects/[projectId]/evaluations/[evaluationId]/route";
import { GET as reportRoute } from "@/app/api/projects/[projectId]/evaluations/[evaluationId]/report/route";
import { GET as licenseRoute } from "@/app/api/public-eval-sets/[name]/license/route";
import type { EvaluationComparison, InstructionDrillDown } from "@/lib/evaluation/compare";
import type { EvaluationDetail } from "@/lib/evaluation/progress";
import { startWorker, type Worker } from "@/lib/jobs/worker-runtime";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { closePipelineServices, configurePipeline } from "@/lib/pipeline/services";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createTestProject, useTestDatabase } from "@/test/db";
import {
  cancelEvaluationAction,
  deleteEvaluationAction,
  importEvalSetFileAction,
  loadPublicSetAction,
  previewEvalSetFileAction,
  startEvaluationAction,
} from "./evaluate-actions";

let db: PrismaClient;
let server: FakeLlmServer;
let worker: Worker;

beforeAll(async () => {
  db = useTestDatabase();
  server = await startFakeLlmServer();
  configurePipeline({ superviseSeconds: 1, expireSeconds: 30, log: () => undefined });
  worker = await startWorker({ processors: ["evaluation"], concurrency: 8 });
});

afterAll(async () => {
  await worker?.stop({ graceMs: 2000 });
  await closePipelineServices();
  await server?.stop();
});

const params = <T extends Record<string, string | number>>(values: T) =>
  ({
    params: Promise.resolve(
      Object.fromEntries(Object.entries(values).map(([key, value]) => [key, String(value)])),
    ),
  }) as never;

async function waitForDetail(projectId: number, evaluationId: number): Promise<EvaluationDetail> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const detail = (await (
      await detailRoute(new Request("http://test"), params({ projectId, evaluationId }))
    ).json()) as EvaluationDetail;
    if (!["queued", "running"].includes(detail.evaluation.state)) return detail;
    if (Date.now() > deadline)
      throw new Error(`evaluation ${evaluationId} is still ${detail.evaluation.state}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function fileForm(projectId: number, text: string, fields: Record<string, string> = {}): FormData {
  const data = new FormData();
  data.set("projectId", String(projectId));
  data.set("file", new File([text], "held-out.jsonl"));
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe("the Evaluate page's actions and routes", () => {
  it("imports a file, evaluates two targets against the project's strong model and compares them", async () => {
    const project = await createTestProject(db, "evaluate page");
    await db.endpoint.create({
      data: {
        projectId: project.id,
        role: "strong",
        baseUrl: server.url,
        model: "fake-strong-page",
        maxTokens: 256,
      },
    });
    const file = [
      "Write a haiku about autumn.",
      "Explain TCP in one paragraph.",
      "List three uses of vinegar.",
    ]
      .map((instruction, index) => JSON.stringify({ instruction, kind: index === 0 ? "poetry" : "explain" }))
      .join("\n");

    const preview = await previewEvalSetFileAction(fileForm(project.id, file));
    expect(preview.ok && preview.data).toMatchObject({
      rowCount: 3,
      suggestedInstructionField: "instruction",
      suggestedCategoryField: null,
    });
    const imported = await importEvalSetFileAction(
      fileForm(project.id, file, { categoryField: "kind", name: "Three held out" }),
    );
    expect(imported.ok && imported.data).toMatchObject({
      name: "Three held out",
      instructionCount: 3,
      seedOverlap: 0,
    });
    const setId = imported.ok ? imported.data.setId : 0;

    const custom = (model: string) => ({ source: "custom", baseUrl: server.url, model, apiKeyEnv: "" });
    const start = async (model: string) => {
      const result = await startEvaluationAction({
        projectId: project.id,
        setId,
        name: model,
        target: custom(model),
        reference: { source: "project", role: "strong" },
        judge: null,
      });
      if (!result.ok) throw new Error(result.error);
      return result.data.evaluationId;
    };
    const first = await start("fake-target-page-a");
    const second = await start("fake-target-page-b");
    const [a, b] = [await waitForDetail(project.id, first), await waitForDetail(project.id, second)];
    expect(a.evaluation).toMatchObject({
      state: "completed",
      reference: { model: "fake-strong-page" },
      judge: null,
    });
    expect(a.counts).toEqual({ total: 3, judged: 3, failed: 0, pending: 0 });
    expect(a.summary.byCategory.map((row) => [row.category, row.total])).toEqual([
      ["explain", 2],
      ["poetry", 1],
    ]);
    expect(b.llm.calls).toBe(12);

    const compared = (await (
      await compareRoute(
        new NextRequest(`http://test/x?ids=${first},${second}`),
        params({ projectId: project.id }),
      )
    ).json()) as EvaluationComparison;
    expect(compared.sameSet).toBe(true);
    expect(compared.evaluations[0]!.difference).toBeNull();
    const difference = compared.evaluations[1]!.difference!;
    expect(difference.paired).toBe(3);
    expect(difference.difference).toBeCloseTo(b.summary.crr! - a.summary.crr!, 10);
    expect(compared.instructions).toHaveLength(3);
    const instructionId = compared.instructions[0]!.id;
    expect(compared.instructions[0]!.outcomes[first]).toMatch(/^(win|tie|loss)$/);

    const drill = (await (
      await drillDownRoute(
        new NextRequest(`http://test/x?ids=${first},${second}&instructionId=${instructionId}`),
        params({ projectId: project.id }),
      )
    ).json()) as InstructionDrillDown;
    expect(drill.instruction).toMatchObject({
      instruction: "Write a haiku about autumn.",
      category: "poetry",
    });
    expect(drill.results.map((row) => row.evaluationId)).toEqual([first, second]);
    expect(drill.results[0]!.result).toMatchObject({ outcome: compared.instructions[0]!.outcomes[first] });
    expect(drill.results[0]!.result!.targetAnswer).not.toBe(drill.results[1]!.result!.targetAnswer);

    const report = await reportRoute(
      new Request("http://test"),
      params({ projectId: project.id, evaluationId: first }),
    );
    expect(report.headers.get("content-disposition")).toBe(`attachment; filename="evaluation-${first}.json"`);
    expect(((await report.json()) as { results: unknown[] }).results).toHaveLength(3);

    expect(await deleteEvaluationAction({ projectId: project.id, evaluationId: second })).toEqual({
      ok: true,
      data: { deleted: true },
    });
  });

  it("scopes every id to the project and names what is missing", async () => {
    const project = await createTestProject(db, "scoping");
    const other = await createTestProject(db, "other");
    const loaded = await loadPublicSetAction({ projectId: project.id, name: "koala" });
    expect(loaded.ok && loaded.data.licenseNotice).toMatch(
      /Please do not use this test set for training purposes/,
    );
    const setId = loaded.ok ? loaded.data.setId : 0;

    const noStrong = await startEvaluationAction({
      projectId: project.id,
      setId,
      target: { source: "custom", baseUrl: server.url, model: "t" },
      reference: { source: "project", role: "strong" },
      judge: null,
    });
    expect(noStrong).toMatchObject({
      ok: false,
      code: "invalid_input",
      error: expect.stringMatching(/no strong endpoint to use as the reference/),
    });

    const wrongSet = await startEvaluationAction({
      projectId: other.id,
      setId,
      target: { source: "custom", baseUrl: server.url, model: "t" },
      reference: { source: "custom", baseUrl: server.url, model: "r" },
      judge: null,
    });
    expect(wrongSet).toMatchObject({ ok: false, code: "not_found" });
    expect(await cancelEvaluationAction({ projectId: other.id, evaluationId: 999_999 })).toMatchObject({
      ok: false,
      code: "not_found",
    });
    expect(
      await startEvaluationAction({
        projectId: project.id,
        setId,
        target: { source: "custom", baseUrl: "nope", model: "t" },
      }),
    ).toMatchObject({
      ok: false,
      code: "invalid_input",
    });

    const license = await licenseRoute(new Request("http://test"), params({ name: "evol-instruct-218" }));
    expect(await license.text()).toMatch(/Attribution-NonCommercial 4\.0 International/);
    expect((await licenseRoute(new Request("http://test"), params({ name: "nope" }))).status).toBe(404);
  });
});

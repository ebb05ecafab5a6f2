import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { GET as getDetail } from "@/app/api/projects/[projectId]/review/[versionId]/route";
import { GET as getCount } from "@/app/api/projects/[projectId]/review/count/route";
import { GET as getList } from "@/app/api/projects/[projectId]/review/route";
import type { ReviewPage } from "@/lib/db/review";
import { insertReviewFixture } from "@/lib/db/review-fixtures";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { actionFieldErrors } from "@/lib/schemas/form-errors";
import { createTestProject, useTestDatabase } from "@/test/db";
import { bulkReviewAction, reviewItemsAction, undoReviewAction } from "./review-actions";

async function seed(db: PrismaClient) {
  const project = await createTestProject(db, "review actions");
  const fixture = await insertReviewFixture(db, project.id, {
    metadata: [
      { useCase: "Coding help", skills: ["python"] },
      { useCase: "Cooking", skills: ["baking"] },
    ],
    versions: Array.from({ length: 60 }, (_, index) => ({
      text: `Instruction ${index} about ${index % 2 ? "python loops" : "bread"}`,
      gap: index % 2 ? 5 : 4,
      metadata: index % 2,
    })),
  });
  return { db, ...fixture };
}

const params = (projectId: number | string) => ({
  params: Promise.resolve({ projectId: String(projectId) }),
});
const detailParams = (projectId: number, versionId: number | string) => ({
  params: Promise.resolve({ projectId: String(projectId), versionId: String(versionId) }),
});

describe("review server actions", () => {
  it("validates input and answers with messages next to the fields", async () => {
    const { projectId, versionIds } = await seed(useTestDatabase());
    const empty = await reviewItemsAction({ projectId, versionIds: [versionIds[0]], editedText: "   " });
    expect(actionFieldErrors(empty)).toEqual({ editedText: "The instruction cannot be empty" });
    const nothing = await reviewItemsAction({ projectId, versionIds: [versionIds[0]] });
    expect(nothing).toMatchObject({ ok: false, code: "invalid_input" });
    const foreign = await reviewItemsAction({
      projectId: projectId + 1_000_000,
      versionIds: [versionIds[0]],
      decision: "accepted",
    });
    expect(foreign).toMatchObject({ ok: false, code: "not_found" });
    const badFilter = await bulkReviewAction({
      projectId,
      filter: { gapMin: 5, gapMax: 1 },
      decision: "accepted",
    });
    expect(actionFieldErrors(badFilter)).toEqual({
      "filter.gapMax": "The maximum gap must be at least the minimum",
    });
  });

  it("accepts one, bulk-rejects a filter, and undoes both", async () => {
    const { db, projectId, versionIds } = await seed(useTestDatabase());
    expect(
      await reviewItemsAction({ projectId, versionIds: [versionIds[0]], decision: "accepted", note: "fine" }),
    ).toMatchObject({
      ok: true,
      data: { count: 1 },
    });
    const bulk = await bulkReviewAction({
      projectId,
      filter: { useCase: "Coding help" },
      decision: "rejected",
      // The hand-accepted record is in the filter: without this box a bulk decision leaves it alone.
      overrideHandDecisions: true,
    });
    expect(bulk).toMatchObject({ ok: true, data: { count: 30 } });
    expect(await db.instructionVersion.count({ where: { projectId, reviewDecision: "rejected" } })).toBe(30);

    const batchId = bulk.ok ? bulk.data.batchId : "";
    expect(await undoReviewAction({ projectId, batchId })).toEqual({ ok: true, data: { count: 30 } });
    expect(await undoReviewAction({ projectId, versionId: versionIds[0] })).toEqual({
      ok: true,
      data: { count: 1 },
    });
    expect(await db.instructionVersion.count({ where: { projectId, reviewDecision: { not: null } } })).toBe(
      0,
    );
    expect(await undoReviewAction({ projectId, versionId: versionIds[0] })).toMatchObject({
      ok: false,
      code: "not_found",
    });
  });
});

describe("review routes", () => {
  it("serves a page from URL parameters, the count, and the detail; refuses bad parameters", async () => {
    const { projectId, versionIds } = await seed(useTestDatabase());
    const url = (path: string) => new NextRequest(`http://localhost/api/projects/${projectId}/review${path}`);

    const first = await getList(url("?useCase=Coding+help&sort=gap.desc&pageSize=20"), params(projectId));
    expect(first.status).toBe(200);
    const page = (await first.json()) as ReviewPage;
    expect(page.rows).toHaveLength(20);
    expect(page.rows.every((row) => row.useCase === "Coding help")).toBe(true);
    const second = await getList(
      url(`?useCase=Coding+help&page=2&pageSize=20&cursor=${page.nextCursor}`),
      params(projectId),
    );
    const secondPage = (await second.json()) as ReviewPage;
    expect(secondPage.rows).toHaveLength(10);
    expect(secondPage.rows.map((row) => row.id)).not.toContain(page.rows[0]!.id);

    const count = await getCount(url("?q=python"), params(projectId));
    expect(await count.json()).toEqual({ count: 30 });

    const bad = await getList(url("?gapMin=abc&pageSize=5000"), params(projectId));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { fieldErrors: Record<string, string> }).fieldErrors).toMatchObject({
      gapMin: "Enter a number",
      pageSize: expect.stringContaining("1 to 200"),
    });

    const detail = await getDetail(new Request("http://localhost"), detailParams(projectId, versionIds[0]!));
    expect(((await detail.json()) as { metadata: { useCase: string } }).metadata.useCase).toBe("Coding help");
    const missing = await getDetail(
      new Request("http://localhost"),
      detailParams(projectId + 1_000_000, versionIds[0]!),
    );
    expect(missing.status).toBe(404);
    const malformed = await getDetail(new Request("http://localhost"), detailParams(projectId, "1e3"));
    expect(malformed.status).toBe(400);
  });
});

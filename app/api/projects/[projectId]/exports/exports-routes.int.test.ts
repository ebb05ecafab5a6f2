import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { NextRequest } from "next/server";
import { afterAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { createExport } from "@/lib/db/exports";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { exportFilterSchema, exportOptionsSchema } from "@/lib/schemas/export";
import { createTestProject, useTestDatabase } from "@/test/db";
import { GET as download } from "./[exportId]/route";
import { GET as count } from "./count/route";
import { GET as list } from "./route";

const directory = mkdtempSync(path.join(tmpdir(), "codeclm-export-routes-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

async function projectWithPairs(db: PrismaClient, name: string, gaps: number[]) {
  const project = await createTestProject(db, name);
  const run = await db.run.create({ data: { projectId: project.id, configSnapshot: {}, randomSeed: 0 } });
  const metadata = await db.metadataEntry.create({
    data: { projectId: project.id, useCase: "Cooking", skills: ["baking"], origin: "seed", key: "k" },
  });
  for (const [index, gap] of gaps.entries()) {
    await db.instructionVersion.create({
      data: {
        projectId: project.id,
        runId: run.id,
        metadataId: metadata.id,
        iteration: 1,
        text: `Instruction ${index}`,
        state: "kept",
        keptAnswer: "strong",
        promptVersion: "test",
        strongScore: 8,
        targetScore: 8 - gap,
        gap,
        responses: {
          create: [
            { role: "strong", model: "s", text: `Answer ${index}` },
            { role: "target", model: "t", text: `Weak answer ${index}` },
          ],
        },
      },
    });
  }
  return project;
}

const context = (projectId: number, exportId?: number) => ({
  params: Promise.resolve({ projectId: String(projectId), exportId: String(exportId ?? "") }),
});

describe("export routes", () => {
  it("download streams the stored file as an attachment with its length and name", async () => {
    const db = useTestDatabase();
    const project = await projectWithPairs(db, "Soup & Bread!", [4, 5]);
    const summary = await createExport(getPool(), {
      projectId: project.id,
      format: "chat",
      filter: exportFilterSchema.parse({}),
      options: exportOptionsSchema.parse({}),
      directory,
    });

    const response = await download(new Request("http://localhost/"), context(project.id, summary.id));
    expect(response.status).toBe(200);
    const counter = project.name.split(" ").at(-1);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="soup-bread-${counter}-chat-${summary.id}.jsonl"`,
    );
    expect(response.headers.get("content-length")).toBe(String(summary.byteSize));
    expect(response.headers.get("etag")).toBe(`"${summary.sha256}"`);
    const body = Buffer.from(await response.arrayBuffer());
    expect(createHash("sha256").update(body).digest("hex")).toBe(summary.sha256);
    expect(body.toString("utf8").trimEnd().split("\n")).toHaveLength(2);

    const other = await projectWithPairs(db, "other", [4]);
    const foreign = await download(new Request("http://localhost/"), context(other.id, summary.id));
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: `Export ${summary.id} does not exist in this project` });
    expect((await download(new Request("http://localhost/"), context(project.id, -1))).status).toBe(400);
  });

  it("list returns the project's exports as views", async () => {
    const db = useTestDatabase();
    const project = await projectWithPairs(db, "list", [4]);
    const summary = await createExport(getPool(), {
      projectId: project.id,
      format: "alpaca-parquet",
      filter: exportFilterSchema.parse({}),
      options: exportOptionsSchema.parse({ includeProvenance: true }),
      directory,
    });
    const response = await list(new Request("http://localhost/"), context(project.id));
    const body = (await response.json()) as Array<Record<string, unknown>>;
    expect(body).toHaveLength(1);
    expect(body[0]).toMatchObject({
      id: summary.id,
      format: "alpaca-parquet",
      recordCount: 1,
      sha256: summary.sha256,
    });
    expect(body[0]).not.toHaveProperty("filePath");
  });

  it("count applies the filter and explains bad parameters", async () => {
    const db = useTestDatabase();
    const project = await projectWithPairs(db, "count", [3.5, 4, 6]);
    const url = (query: string) =>
      new NextRequest(`http://localhost/api/projects/${project.id}/exports/count?${query}`);
    expect(await (await count(url(""), context(project.id))).json()).toEqual({ count: 3 });
    expect(await (await count(url("gapMin=4"), context(project.id))).json()).toEqual({ count: 2 });
    expect(await (await count(url("onlyAccepted=true"), context(project.id))).json()).toEqual({ count: 0 });

    const bad = await count(url("gapMin=lots"), context(project.id));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "gapMin: Enter a number" });
    const dropped = await count(url("state=dropped"), context(project.id));
    expect(dropped.status).toBe(400);
    expect(((await dropped.json()) as { error: string }).error).toMatch(/Only kept pairs/);
  });
});

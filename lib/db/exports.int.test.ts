import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { countExportRecords, createExport, getExportFile, listExports } from "@/lib/db/exports";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  exportFileExtensions,
  exportFilterSchema,
  exportOptionsSchema,
  isParquetFormat,
  type ExportFormat,
} from "@/lib/schemas/export";
import { createTestProject, useTestDatabase } from "@/test/db";

const directory = mkdtempSync(path.join(tmpdir(), "codeclm-exports-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

interface VersionSpec {
  text: string;
  state?: "kept" | "dropped" | "improved" | "pending";
  kept?: "strong" | "target";
  iteration?: number;
  gap?: number;
  decision?: "accepted" | "rejected";
  editedText?: string;
  editedAnswer?: string;
  metadata?: 0 | 1;
  run?: 0 | 1;
}

/** A project with two runs, two metadata entries and the given versions (each with a strong and a target answer). */
async function seedProject(db: PrismaClient, specs: VersionSpec[]) {
  const project = await createTestProject(db, "export test");
  const runs = await Promise.all(
    [0, 1].map(() => db.run.create({ data: { projectId: project.id, configSnapshot: {}, randomSeed: 0 } })),
  );
  const metadata = [
    await db.metadataEntry.create({
      data: {
        projectId: project.id,
        useCase: "Cooking",
        skills: ["baking", "planning"],
        origin: "seed",
        key: "a",
      },
    }),
    await db.metadataEntry.create({
      data: {
        projectId: project.id,
        useCase: "Coding help",
        skills: ["debugging"],
        origin: "mixed",
        key: "b",
      },
    }),
  ];
  const ids: number[] = [];
  for (const spec of specs) {
    const state = spec.state ?? "kept";
    const gap = spec.gap ?? (spec.kept === "target" ? -4 : 4);
    const version = await db.instructionVersion.create({
      data: {
        projectId: project.id,
        runId: runs[spec.run ?? 0]!.id,
        metadataId: metadata[spec.metadata ?? 0]!.id,
        iteration: spec.iteration ?? 1,
        text: spec.text,
        state,
        keptAnswer: state === "kept" ? (spec.kept ?? "strong") : null,
        promptVersion: "test",
        strongScore: 5 + gap / 2,
        targetScore: 5 - gap / 2,
        gap,
        reviewDecision: spec.decision ?? null,
        editedText: spec.editedText ?? null,
        editedAnswer: spec.editedAnswer ?? null,
        responses: {
          create: [
            { role: "strong", model: "strong-model", text: `strong answer to ${spec.text}` },
            { role: "target", model: "target-model", text: `target answer to ${spec.text}` },
          ],
        },
      },
    });
    ids.push(version.id);
  }
  return { project, runs, metadata, ids };
}

const filter = (input: Record<string, unknown> = {}) => exportFilterSchema.parse(input);
const options = (input: Record<string, unknown> = {}) =>
  exportOptionsSchema.parse({ applyEdits: false, ...input });

async function exportLines(
  projectId: number,
  format: ExportFormat,
  input: { filter?: object; options?: object } = {},
) {
  const summary = await createExport(getPool(), {
    projectId,
    format,
    filter: filter(input.filter as Record<string, unknown>),
    options: options(input.options as Record<string, unknown>),
    directory,
    batchSize: 2,
  });
  const file = readFileSync(path.join(directory, `${summary.id}.${exportFileExtensions[format]}`));
  const text = file.toString("utf8");
  const records =
    isParquetFormat(format) || text === ""
      ? []
      : text
          .trimEnd()
          .split("\n")
          .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { summary, file, records };
}

const standardSpecs: VersionSpec[] = [
  { text: "Bake bread", iteration: 1, gap: 4 },
  { text: "Fix a segfault", kept: "target", iteration: 2, gap: -5, metadata: 1 },
  {
    text: "Plan a dinner",
    iteration: 3,
    gap: 6,
    decision: "accepted",
    editedText: "Plan a vegan dinner",
    editedAnswer: "Edited dinner plan",
  },
  { text: "Rejected one", decision: "rejected" },
  { text: "Dropped one", state: "dropped", gap: 1 },
  { text: "Improved one", state: "improved", gap: 2 },
  { text: "Pending one", state: "pending" },
  {
    text: "Write a sorting function",
    iteration: 1,
    gap: 3.5,
    metadata: 1,
    run: 1,
    editedAnswer: "Edited sort",
  },
];

describe("createExport", () => {
  it("exports kept, non-rejected pairs in id order with the kept side's answer, and records the file", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, standardSpecs);
    const { summary, file, records } = await exportLines(project.id, "chat");

    expect(records.map((record) => record.messages)).toEqual([
      [
        { role: "user", content: "Bake bread" },
        { role: "assistant", content: "strong answer to Bake bread" },
      ],
      [
        { role: "user", content: "Fix a segfault" },
        { role: "assistant", content: "target answer to Fix a segfault" },
      ],
      [
        { role: "user", content: "Plan a dinner" },
        { role: "assistant", content: "strong answer to Plan a dinner" },
      ],
      [
        { role: "user", content: "Write a sorting function" },
        { role: "assistant", content: "strong answer to Write a sorting function" },
      ],
    ]);
    expect(records.every((record) => !("codeclm" in record))).toBe(true);
    expect(summary).toMatchObject({
      projectId: project.id,
      format: "chat",
      recordCount: 4,
      byteSize: file.byteLength,
    });
    expect(summary.sha256).toBe(createHash("sha256").update(file).digest("hex"));

    const stored = await db.export.findUniqueOrThrow({ where: { id: summary.id } });
    expect(stored).toMatchObject({ recordCount: 4, sha256: summary.sha256, format: "chat" });
    expect(Number(stored.byteSize)).toBe(file.byteLength);
    expect(stored.filePath).toBe(path.join(directory, `${summary.id}.jsonl`));
    expect(stored.options).toEqual({
      onlyAccepted: false,
      applyEdits: false,
      includeProvenance: false,
      fullProvenance: false,
    });
    expect(
      await countExportRecords(getPool(), { projectId: project.id, filter: filter(), options: options() }),
    ).toBe(4);
  });

  it("applies edited instructions and answers only when asked", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, standardSpecs);
    const edited = await exportLines(project.id, "alpaca", { options: { applyEdits: true } });
    expect(edited.records.map((record) => [record.instruction, record.output])).toEqual([
      ["Bake bread", "strong answer to Bake bread"],
      ["Fix a segfault", "target answer to Fix a segfault"],
      ["Plan a vegan dinner", "Edited dinner plan"],
      ["Write a sorting function", "Edited sort"],
    ]);
    const original = await exportLines(project.id, "alpaca", { options: { applyEdits: false } });
    expect(original.records[2]).toEqual({
      instruction: "Plan a dinner",
      input: "",
      output: "strong answer to Plan a dinner",
    });
    expect(original.summary.sha256).not.toBe(edited.summary.sha256);
  });

  it("exports only human-accepted pairs when asked", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, standardSpecs);
    const { records, summary } = await exportLines(project.id, "sharegpt", {
      options: { onlyAccepted: true, applyEdits: true },
    });
    expect(summary.recordCount).toBe(1);
    expect(records[0]).toEqual({
      conversations: [
        { from: "human", value: "Plan a vegan dinner" },
        { from: "gpt", value: "Edited dinner plan" },
      ],
    });
  });

  it("adds the codeclm provenance when asked", async () => {
    const db = useTestDatabase();
    const { project, runs } = await seedProject(db, standardSpecs);
    const { records } = await exportLines(project.id, "chat", { options: { includeProvenance: true } });
    expect(records[1]!.codeclm).toEqual({
      use_case: "Coding help",
      skills: ["debugging"],
      iteration: 2,
      strong_score: 2.5,
      target_score: 7.5,
      gap: -5,
      kept: "target",
      run_id: runs[0]!.id,
    });
    expect(records[3]!.codeclm).toMatchObject({ run_id: runs[1]!.id, use_case: "Coding help", gap: 3.5 });
  });

  it.each([
    [{ gapMin: 3.75 }, ["Bake bread", "Plan a dinner"]],
    [{ gapMin: -6, gapMax: 0 }, ["Fix a segfault"]],
    [{ iteration: 1 }, ["Bake bread", "Write a sorting function"]],
    [{ useCase: "Coding help" }, ["Fix a segfault", "Write a sorting function"]],
    [{ skill: "planning" }, ["Bake bread", "Plan a dinner"]],
    [{ decision: "accepted" }, ["Plan a dinner"]],
    [{ decision: "unreviewed" }, ["Bake bread", "Fix a segfault", "Write a sorting function"]],
    [{ search: "sorting" }, ["Write a sorting function"]],
    [{ search: "rejected" }, []],
    [{ decision: "rejected" }, []],
    [{ state: "kept", iteration: 3 }, ["Plan a dinner"]],
  ])("filters by %o", async (filterInput, expected) => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, standardSpecs);
    const { records, summary } = await exportLines(project.id, "alpaca", { filter: filterInput });
    expect(records.map((record) => record.instruction)).toEqual(expected);
    expect(summary.recordCount).toBe(expected.length);
    expect(
      await countExportRecords(getPool(), {
        projectId: project.id,
        filter: filter(filterInput),
        options: options(),
      }),
    ).toBe(expected.length);
  });

  it("filters by run", async () => {
    const db = useTestDatabase();
    const { project, runs } = await seedProject(db, standardSpecs);
    const { records } = await exportLines(project.id, "alpaca", { filter: { runId: runs[1]!.id } });
    expect(records.map((record) => record.instruction)).toEqual(["Write a sorting function"]);
  });

  it("gives the same bytes for the same export twice, in separate files", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, standardSpecs);
    for (const format of ["chat", "alpaca-parquet", "preference-parquet"] as const) {
      const first = await exportLines(project.id, format, { options: { includeProvenance: true } });
      const second = await exportLines(project.id, format, { options: { includeProvenance: true } });
      expect(second.summary.id).not.toBe(first.summary.id);
      expect(second.summary.sha256).toBe(first.summary.sha256);
      expect(Buffer.compare(second.file, first.file)).toBe(0);
    }
  });

  it("writes parquet that reads back with the same rows", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, standardSpecs);
    const { file, summary } = await exportLines(project.id, "alpaca-parquet", {
      options: { applyEdits: true, includeProvenance: true },
    });
    const rows = await parquetReadObjects({
      file: file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
    });
    expect(summary.recordCount).toBe(4);
    expect(rows.map((row) => [row.instruction, row.output, (row.codeclm as { kept: string }).kept])).toEqual([
      ["Bake bread", "strong answer to Bake bread", "strong"],
      ["Fix a segfault", "target answer to Fix a segfault", "target"],
      ["Plan a vegan dinner", "Edited dinner plan", "strong"],
      ["Write a sorting function", "Edited sort", "strong"],
    ]);
    expect(rows[0]!.codeclm).toMatchObject({
      use_case: "Cooking",
      skills: ["baking", "planning"],
      iteration: 1,
      gap: 4,
    });
  });

  it("exports preference pairs: the kept answer chosen, the other side's rejected, |gap| as margin", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, standardSpecs);
    const { records, summary } = await exportLines(project.id, "preference", {
      options: { applyEdits: true },
    });
    expect(summary.recordCount).toBe(4);
    expect(records[0]).toEqual({
      prompt: [{ role: "user", content: "Bake bread" }],
      chosen: [{ role: "assistant", content: "strong answer to Bake bread" }],
      rejected: [{ role: "assistant", content: "target answer to Bake bread" }],
      margin: 4,
    });
    // The target side was kept: its answer is chosen.
    expect(records[1]).toMatchObject({
      chosen: [{ content: "target answer to Fix a segfault" }],
      rejected: [{ content: "strong answer to Fix a segfault" }],
      margin: 5,
    });
    // A reviewer's edit replaces the chosen answer; the rejected one stays the model's.
    expect(records[2]).toMatchObject({
      prompt: [{ content: "Plan a vegan dinner" }],
      chosen: [{ content: "Edited dinner plan" }],
      rejected: [{ content: "target answer to Plan a dinner" }],
    });
    const llamaFactory = await exportLines(project.id, "preference-sharegpt");
    expect(llamaFactory.records[0]).toEqual({
      conversations: [{ from: "human", value: "Bake bread" }],
      chosen: { from: "gpt", value: "strong answer to Bake bread" },
      rejected: { from: "gpt", value: "target answer to Bake bread" },
      margin: 4,
    });
  });

  it("full provenance traces a record back through the method, in JSONL and Parquet alike", async () => {
    const db = useTestDatabase();
    const { project, runs, ids } = await seedProject(db, [{ text: "Bake bread", iteration: 2, gap: 4 }]);
    // A parent (the basic instruction) and the judgement of the kept version.
    const parent = await db.instructionVersion.create({
      data: {
        projectId: project.id,
        runId: runs[0]!.id,
        metadataId: (await db.instructionVersion.findUniqueOrThrow({ where: { id: ids[0]! } })).metadataId,
        iteration: 1,
        text: "Bake",
        state: "improved",
        promptVersion: "decode@1",
      },
    });
    await db.instructionVersion.update({
      where: { id: ids[0]! },
      data: { parentId: parent.id, actionApplied: "Name the dish" },
    });
    await db.judgement.create({
      data: {
        instructionVersionId: ids[0]!,
        judgeModel: "judge-model",
        strongScoreOrderA: 8,
        targetScoreOrderA: 3,
        strongScoreOrderB: 6,
        targetScoreOrderB: 3,
        strongScore: 7,
        targetScore: 3,
        gap: 4,
        threshold: 3,
        decision: "keep_strong",
        promptVersion: "judge@1",
      },
    });
    const jsonl = await exportLines(project.id, "chat", { options: { fullProvenance: true } });
    const codeclm = jsonl.records[0]!.codeclm as Record<string, unknown>;
    expect(codeclm).toMatchObject({
      version_id: ids[0],
      metadata_origin: "seed",
      chain: [
        { iteration: 1, action: null, text: "Bake" },
        { iteration: 2, action: "Name the dish", text: "Bake bread" },
      ],
      strong_answer: "strong answer to Bake bread",
      target_answer: "target answer to Bake bread",
      strong_score_order_a: 8,
      target_score_order_a: 3,
      strong_score_order_b: 6,
      target_score_order_b: 3,
      strong_model: "strong-model",
      target_model: "target-model",
      judge_model: "judge-model",
      prompt_version: "test",
      judge_prompt_version: "judge@1",
      run_id: runs[0]!.id,
    });
    expect(codeclm.run_config_sha256).toMatch(/^[0-9a-f]{64}$/);
    const parquet = await exportLines(project.id, "chat-parquet", { options: { fullProvenance: true } });
    const rows = await parquetReadObjects({
      file: parquet.file.buffer.slice(
        parquet.file.byteOffset,
        parquet.file.byteOffset + parquet.file.byteLength,
      ) as ArrayBuffer,
    });
    expect(rows).toEqual(jsonl.records);
  });

  it("writes an empty file for a project with nothing kept", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, [{ text: "only dropped", state: "dropped" }]);
    const { summary, file } = await exportLines(project.id, "chat");
    expect(summary).toMatchObject({ recordCount: 0, byteSize: 0 });
    expect(file.byteLength).toBe(0);
  });

  it("leaves no file and no row behind when writing fails midway", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, standardSpecs);
    const before = new Set(readdirSync(directory));
    // An unknown format gets past the types here and fails inside the writer, after the cursor is open.
    await expect(
      createExport(getPool(), {
        projectId: project.id,
        format: "bogus" as ExportFormat,
        filter: filter(),
        options: options(),
        directory,
      }),
    ).rejects.toThrow();
    expect(readdirSync(directory).filter((name) => !before.has(name))).toEqual([]);
    expect(await db.export.count({ where: { projectId: project.id } })).toBe(0);
    // The pool's connections are still usable (the transaction was rolled back, the cursor closed).
    expect((await exportLines(project.id, "chat")).summary.recordCount).toBe(4);
  });

  it("refuses a project that does not exist", async () => {
    useTestDatabase();
    await expect(
      createExport(getPool(), {
        projectId: 987_654,
        format: "chat",
        filter: filter(),
        options: options(),
        directory,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("listExports and getExportFile", () => {
  it("are scoped by project", async () => {
    const db = useTestDatabase();
    const a = await seedProject(db, [{ text: "A's pair" }]);
    const b = await seedProject(db, [{ text: "B's pair" }, { text: "B's second" }]);
    const fromA = await exportLines(a.project.id, "chat");
    const fromB = await exportLines(b.project.id, "alpaca");
    expect(fromA.records).toHaveLength(1);
    expect(fromB.records.map((record) => record.instruction)).toEqual(["B's pair", "B's second"]);

    const listA = await listExports(db, { projectId: a.project.id });
    expect(listA.map((summary) => summary.id)).toEqual([fromA.summary.id]);
    expect(listA[0]).toMatchObject({
      recordCount: 1,
      byteSize: fromA.file.byteLength,
      sha256: fromA.summary.sha256,
    });

    const file = await getExportFile(db, { projectId: a.project.id, exportId: fromA.summary.id });
    expect(file).toMatchObject({ format: "chat", sizeOnDisk: fromA.file.byteLength });
    const error = await getExportFile(db, { projectId: b.project.id, exportId: fromA.summary.id }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: "not_found" });
  });

  it("says so when the stored file is gone", async () => {
    const db = useTestDatabase();
    const { project } = await seedProject(db, [{ text: "pair" }]);
    const { summary } = await exportLines(project.id, "chat");
    rmSync(path.join(directory, `${summary.id}.jsonl`));
    await expect(getExportFile(db, { projectId: project.id, exportId: summary.id })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

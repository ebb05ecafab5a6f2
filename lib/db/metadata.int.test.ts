import { describe, expect, it } from "vitest";
import { metadataKey } from "@/lib/codeclm/pool";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import {
  createMetadataEntry,
  deleteMetadataEntries,
  getMetadataCharts,
  listMetadata,
  updateMetadataEntry,
} from "@/lib/db/metadata";
import { getDb } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { createTestProject, useTestDatabase } from "@/test/db";

type Origin = "seed" | "mixed" | "handwritten";

async function addEntry(
  db: PrismaClient,
  projectId: number,
  useCase: string,
  skills: string[],
  origin: Origin = "seed",
) {
  return db.metadataEntry.create({
    data: { projectId, useCase, skills, origin, key: metadataKey(useCase, skills) },
  });
}

async function addVersion(db: PrismaClient, projectId: number, metadataId: number) {
  const run = await db.run.create({
    data: { projectId, configSnapshot: {}, randomSeed: 0, state: "completed" },
  });
  return db.instructionVersion.create({
    data: { projectId, runId: run.id, metadataId, iteration: 1, text: "Write a poem", promptVersion: "t1" },
  });
}

function list(projectId: number, filter: Record<string, string> = {}) {
  return listMetadata(getDb(), { projectId, page: 1, pageSize: 50, ...filter });
}

async function expectAppError(promise: Promise<unknown>, code: string, message: RegExp) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).message).toMatch(message);
}

describe("listMetadata", () => {
  it("pages a project's entries with rubric presence and version counts, filtered by origin, text, use case and skill", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    const qa = await addEntry(db, project.id, "Question answering", ["history", "reasoning"]);
    const poem = await addEntry(db, project.id, "Creative writing", ["poetry"], "mixed");
    await addEntry(db, project.id, "Code generation", ["Algorithms"], "handwritten");
    await addEntry(db, other.id, "Question answering", ["history"]);
    await db.rubricSet.create({
      data: { metadataId: qa.id, rubrics: ["r"], actions: ["a"], promptVersion: "t1" },
    });
    await addVersion(db, project.id, poem.id);
    await addVersion(db, project.id, poem.id);

    const all = await list(project.id);
    expect(all.total).toBe(3);
    expect(all.rows.map((row) => row.useCase)).toEqual([
      "Question answering",
      "Creative writing",
      "Code generation",
    ]);
    expect(all.rows[0]).toMatchObject({
      origin: "seed",
      skills: ["history", "reasoning"],
      hasRubricSet: true,
      versionCount: 0,
    });
    expect(all.rows[1]).toMatchObject({ origin: "mixed", hasRubricSet: false, versionCount: 2 });

    expect((await list(project.id, { origin: "mixed" })).rows.map((row) => row.id)).toEqual([poem.id]);
    expect((await list(project.id, { search: "ANSWER" })).rows.map((row) => row.id)).toEqual([qa.id]);
    expect((await list(project.id, { search: "algo" })).total).toBe(1); // matches a skill
    expect((await list(project.id, { search: "%" })).total).toBe(0); // LIKE wildcards are literal
    expect((await list(project.id, { skill: "algorithms" })).rows[0]?.useCase).toBe("Code generation");
    expect((await list(project.id, { useCase: "creative WRITING" })).total).toBe(1);

    const second = await listMetadata(db, { projectId: project.id, page: 2, pageSize: 2 });
    expect(second).toMatchObject({ total: 3, rows: [{ useCase: "Code generation" }] });
  });
});

describe("getMetadataCharts", () => {
  it("counts use cases and skills case-insensitively, folds everything past the top into others, and counts origins", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    await addEntry(db, project.id, "Question answering", ["history", "reasoning"]);
    await addEntry(db, project.id, "question answering", ["History"], "mixed");
    await addEntry(db, project.id, "Question answering", ["math"], "mixed");
    await addEntry(db, project.id, "Creative writing", ["poetry", "history"], "handwritten");
    await addEntry(db, project.id, "Summarization", ["reading"]);

    const charts = await getMetadataCharts(db, { projectId: project.id, top: 2 });
    expect(charts.total).toBe(5);
    expect(charts.byOrigin).toEqual({ seed: 2, mixed: 2, handwritten: 1 });
    expect(charts.useCases.top).toEqual([
      { label: "Question answering", count: 3 },
      { label: "Creative writing", count: 1 },
    ]);
    expect(charts.useCases.others).toEqual({ labels: 1, count: 1 });
    expect(charts.useCases.distinctLabels).toBe(3);
    expect(charts.skills.top[0]).toEqual({ label: "history", count: 3 }); // the most frequent spelling
    expect(charts.skills.others).toEqual({ labels: 3, count: 3 });

    const seedOnly = await getMetadataCharts(db, { projectId: project.id, origin: "seed" });
    expect(seedOnly.total).toBe(2);
    expect(seedOnly.useCases.others).toBeNull();
  });

  it("returns empty counts for a project without metadata", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const charts = await getMetadataCharts(db, { projectId: project.id });
    expect(charts).toEqual({
      total: 0,
      byOrigin: { seed: 0, mixed: 0, handwritten: 0 },
      useCases: { top: [], others: null, distinctLabels: 0 },
      skills: { top: [], others: null, distinctLabels: 0 },
    });
  });
});

describe("hand-written entries", () => {
  it("creates a checked, plausible handwritten entry whose key dedupes against generated entries", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    await addEntry(db, project.id, "Question answering", ["history", "reasoning"]);

    const created = await createMetadataEntry(db, {
      projectId: project.id,
      useCase: "Code review",
      skills: ["security"],
    });
    expect(created).toMatchObject({ origin: "handwritten", checked: true, plausible: true, versionCount: 0 });
    const stored = await db.metadataEntry.findUniqueOrThrow({ where: { id: created.id } });
    expect(stored.key).toBe(metadataKey("Code review", ["security"]));

    await expectAppError(
      createMetadataEntry(db, {
        projectId: project.id,
        useCase: "question answering",
        skills: ["Reasoning", "History"],
      }),
      "conflict",
      /already has this use case and these skills/,
    );
  });

  it("edits an entry without versions and drops its stale rubric set; refuses one with versions", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const free = await addEntry(db, project.id, "Question answering", ["history"]);
    await db.rubricSet.create({
      data: { metadataId: free.id, rubrics: ["r"], actions: ["a"], promptVersion: "t1" },
    });
    const used = await addEntry(db, project.id, "Creative writing", ["poetry"], "mixed");
    await addVersion(db, project.id, used.id);

    const edited = await updateMetadataEntry(db, {
      projectId: project.id,
      id: free.id,
      useCase: "Question answering",
      skills: ["world history"],
    });
    expect(edited).toMatchObject({
      skills: ["world history"],
      origin: "seed",
      hasRubricSet: false,
      checkNote: "Edited by hand",
    });
    expect((await db.metadataEntry.findUniqueOrThrow({ where: { id: free.id } })).key).toBe(
      metadataKey("Question answering", ["world history"]),
    );

    await expectAppError(
      updateMetadataEntry(db, { projectId: project.id, id: used.id, useCase: "Poetry", skills: ["rhyme"] }),
      "conflict",
      /1 instruction version was generated from entry #\d+: editing it would break their lineage/,
    );
    await expectAppError(
      updateMetadataEntry(db, {
        projectId: project.id,
        id: free.id,
        useCase: "creative writing",
        skills: ["POETRY"],
      }),
      "conflict",
      /already has this use case/,
    );
    const other = await createTestProject(db);
    await expectAppError(
      updateMetadataEntry(db, { projectId: other.id, id: free.id, useCase: "x", skills: ["y"] }),
      "not_found",
      /does not exist in this project/,
    );
  });

  it("deletes entries without versions, keeps those with versions, and ignores other projects' ids", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    const a = await addEntry(db, project.id, "A", ["x"]);
    const b = await addEntry(db, project.id, "B", ["x"]);
    const foreign = await addEntry(db, other.id, "C", ["x"]);
    await addVersion(db, project.id, b.id);

    const result = await deleteMetadataEntries(db, { projectId: project.id, ids: [a.id, b.id, foreign.id] });
    expect(result).toEqual({ deleted: 1, withInstructions: 1 });
    expect(await db.metadataEntry.findUnique({ where: { id: a.id } })).toBeNull();
    expect(await db.metadataEntry.findUnique({ where: { id: b.id } })).not.toBeNull();
    expect(await db.metadataEntry.findUnique({ where: { id: foreign.id } })).not.toBeNull();
  });

  it("refuses changes while a run is in progress", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const entry = await addEntry(db, project.id, "A", ["x"]);
    await db.run.create({
      data: { projectId: project.id, configSnapshot: {}, randomSeed: 0, state: "running" },
    });

    await expectAppError(
      createMetadataEntry(db, { projectId: project.id, useCase: "B", skills: ["y"] }),
      "conflict",
      /A run is in progress/,
    );
    await expectAppError(
      deleteMetadataEntries(db, { projectId: project.id, ids: [entry.id] }),
      "conflict",
      /run is in progress/,
    );
  });
});

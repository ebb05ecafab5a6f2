import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { countSeeds, deleteSeeds, importSeeds, listSeeds, type SeedToImport } from "@/lib/db/seeds";
import { AppError } from "@/lib/errors";
import { decodeSeedFile, extractSeeds, parseSeedFile, seedContentHash } from "@/lib/formats/seed-file";
import { repoPath } from "@/lib/repo-root";
import { createTestProject, useTestDatabase } from "@/test/db";

const selfInstructPath = repoPath("data", "self-instruct", "seed_tasks.jsonl");

function readSelfInstruct() {
  const decoded = decodeSeedFile(readFileSync(selfInstructPath), "seed_tasks.jsonl");
  const parsed = parseSeedFile(decoded.text, { fileName: "seed_tasks.jsonl" });
  const extracted = extractSeeds(parsed, {
    instructionField: "instruction",
    inputField: "instances[0].input",
  });
  expect(extracted.errors).toEqual([]);
  return { decoded, parsed, seeds: extracted.seeds };
}

function importFor(projectId: number, seeds: readonly SeedToImport[], fileName = "seeds.jsonl") {
  return importSeeds(getPool(), {
    projectId,
    fileName,
    format: "jsonl",
    instructionField: "instruction",
    seeds,
    sha256: "0".repeat(64),
  });
}

describe("importSeeds", () => {
  it("imports the 175 Self-Instruct seeds with their inputs, in file order, and records the import", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const { decoded, parsed, seeds } = readSelfInstruct();

    const result = await importSeeds(getPool(), {
      projectId: project.id,
      fileName: "seed_tasks.jsonl",
      format: parsed.format,
      instructionField: "instruction",
      inputField: "instances[0].input",
      seeds,
      sha256: decoded.sha256,
    });

    expect(result).toMatchObject({ imported: 175, duplicates: 0 });
    const stored = await db.seed.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(stored).toHaveLength(175);
    expect(stored.map((seed) => seed.instruction)).toEqual(seeds.map((seed) => seed.instruction));
    expect(stored.every((seed) => seed.importId === result.importId)).toBe(true);
    const withInput = seeds.findIndex((seed) => seed.input !== "");
    expect(stored[withInput]!.input).toBe(seeds[withInput]!.input);
    expect(stored[withInput]!.contentHash).toBe(
      seedContentHash(seeds[withInput]!.instruction, seeds[withInput]!.input),
    );

    const record = await db.seedImport.findUniqueOrThrow({ where: { id: result.importId } });
    expect(record).toMatchObject({
      projectId: project.id,
      fileName: "seed_tasks.jsonl",
      format: "jsonl",
      instructionField: "instruction",
      inputField: "instances[0].input",
      rowCount: 175,
      importedCount: 175,
      duplicateCount: 0,
      sha256: decoded.sha256,
    });
  });

  it("counts a re-import of the same file as 175 duplicates and imports nothing", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const { seeds } = readSelfInstruct();
    await importFor(project.id, seeds);

    const again = await importFor(project.id, seeds);

    expect(again).toMatchObject({ imported: 0, duplicates: 175 });
    expect(await countSeeds(db, { projectId: project.id })).toBe(175);
    const record = await db.seedImport.findUniqueOrThrow({ where: { id: again.importId } });
    expect(record).toMatchObject({ rowCount: 175, importedCount: 0, duplicateCount: 175 });
  });

  it("skips duplicates within the file and against stored seeds, but not across projects", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    await importFor(project.id, [{ instruction: "Stored already" }]);
    await importFor(other.id, [{ instruction: "Only in the other project" }]);

    const result = await importFor(project.id, [
      { instruction: "Write a haiku", input: "" },
      { instruction: "Write a haiku", input: "about autumn" },
      { instruction: "  Write a haiku  " }, // same after trimming
      { instruction: "Stored already" },
      { instruction: "Only in the other project" },
    ]);

    expect(result).toMatchObject({ imported: 3, duplicates: 2 });
    const { rows } = await listSeeds(db, { projectId: project.id, page: 1, pageSize: 10 });
    expect(rows.map((row) => [row.instruction, row.input])).toEqual([
      ["Stored already", ""],
      ["Write a haiku", ""],
      ["Write a haiku", "about autumn"],
      ["Only in the other project", ""],
    ]);
  });

  it("stores tabs, newlines and backslashes exactly", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const instruction = 'Fix this:\n\tprint("a\\tb")\nC:\\temp\\new \\. \\N';
    await importFor(project.id, [{ instruction, input: "line 1\nline 2\r\nline 3" }]);
    const seed = await db.seed.findFirstOrThrow({ where: { projectId: project.id } });
    expect(seed.instruction).toBe(instruction);
    expect(seed.input).toBe("line 1\nline 2\nline 3");
  });

  it("writes nothing when the COPY stream fails part-way, and the pool stays usable", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const seeds: SeedToImport[] = Array.from({ length: 20_000 }, (_, index) => ({
      instruction: `Task number ${index}`,
    }));
    // Not a string: turning it into a COPY row throws after 15,000 rows have been streamed.
    seeds[15_000] = { instruction: 42 as unknown as string };

    await expect(importFor(project.id, seeds)).rejects.toThrow();

    expect(await countSeeds(db, { projectId: project.id })).toBe(0);
    expect(await db.seedImport.count({ where: { projectId: project.id } })).toBe(0);
    const retry = await importFor(project.id, seeds.slice(0, 100));
    expect(retry).toMatchObject({ imported: 100, duplicates: 0 });
  });

  it("stores a NUL (which PostgreSQL text refuses) as U+FFFD instead of failing the import", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const result = await importFor(project.id, [{ instruction: "PostgreSQL refuses a NUL \u0000 here" }]);
    expect(result).toMatchObject({ imported: 1 });
    const stored = await db.seed.findMany({ where: { projectId: project.id } });
    expect(stored.map((seed) => seed.instruction)).toEqual(["PostgreSQL refuses a NUL \uFFFD here"]);
  });

  it("fails cleanly when the project does not exist", async () => {
    const db = useTestDatabase();
    const before = await db.seedImport.count();
    const failure = importFor(2_000_000_000, [{ instruction: "Orphan" }]);
    await expect(failure).rejects.toBeInstanceOf(AppError);
    await expect(failure).rejects.toMatchObject({
      code: "not_found",
      message: "Project 2000000000 does not exist",
    });
    expect(await db.seedImport.count()).toBe(before);
  });

  it("refuses an empty list of seeds", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    await expect(importFor(project.id, [])).rejects.toMatchObject({ code: "invalid_input" });
    expect(await db.seedImport.count({ where: { projectId: project.id } })).toBe(0);
  });
});

describe("listSeeds", () => {
  it("pages through a project's seeds in import order without gaps or overlaps", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    await importFor(other.id, [{ instruction: "Not mine" }]);
    await importFor(
      project.id,
      Array.from({ length: 25 }, (_, index) => ({ instruction: `Seed ${index}` })),
    );

    const pages = await Promise.all(
      [1, 2, 3, 4].map((page) => listSeeds(db, { projectId: project.id, page, pageSize: 10 })),
    );

    expect(pages.map((page) => page.total)).toEqual([25, 25, 25, 25]);
    expect(pages.map((page) => page.rows.length)).toEqual([10, 10, 5, 0]);
    const instructions = pages.flatMap((page) => page.rows.map((row) => row.instruction));
    expect(instructions).toEqual(Array.from({ length: 25 }, (_, index) => `Seed ${index}`));
  });

  it("searches instruction and input case-insensitively, within the project, with LIKE wildcards taken literally", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    await importFor(other.id, [{ instruction: "Summarize the news" }]);
    await importFor(project.id, [
      { instruction: "Summarize this ARTICLE" },
      { instruction: "Translate", input: "An article about summarizing" },
      { instruction: "Write a poem" },
      { instruction: "Give a 50% discount code" },
      { instruction: "Give a 50 dollar discount code" },
      { instruction: "Name it in snake_case" },
      { instruction: "Name it in snakeXcase" },
      { instruction: "Open notes\\temp\\draft" },
    ]);

    const summarize = await listSeeds(db, {
      projectId: project.id,
      page: 1,
      pageSize: 10,
      search: "  SUMMARI ",
    });
    expect(summarize.total).toBe(2);
    expect(summarize.rows.map((row) => row.instruction)).toEqual(["Summarize this ARTICLE", "Translate"]);

    const percent = await listSeeds(db, { projectId: project.id, page: 1, pageSize: 10, search: "50%" });
    expect(percent.rows.map((row) => row.instruction)).toEqual(["Give a 50% discount code"]);

    const underscore = await listSeeds(db, {
      projectId: project.id,
      page: 1,
      pageSize: 10,
      search: "snake_case",
    });
    expect(underscore.rows.map((row) => row.instruction)).toEqual(["Name it in snake_case"]);
    const backslash = await listSeeds(db, {
      projectId: project.id,
      page: 1,
      pageSize: 10,
      search: "NOTES\\temp",
    });
    expect(backslash.rows.map((row) => row.instruction)).toEqual(["Open notes\\temp\\draft"]);

    const paged = await listSeeds(db, { projectId: project.id, page: 2, pageSize: 1, search: "article" });
    expect(paged).toMatchObject({ total: 2, rows: [{ instruction: "Translate" }] });
  });
});

describe("deleteSeeds", () => {
  it("deletes only the given seeds of the given project", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    await importFor(project.id, [{ instruction: "Keep me" }, { instruction: "Delete me" }]);
    await importFor(other.id, [{ instruction: "Someone else's" }]);
    const mine = await db.seed.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    const theirs = await db.seed.findFirstOrThrow({ where: { projectId: other.id } });

    const deleted = await deleteSeeds(db, { projectId: project.id, ids: [mine[1]!.id, theirs.id] });

    expect(deleted).toBe(1);
    expect(
      (await listSeeds(db, { projectId: project.id, page: 1, pageSize: 10 })).rows.map(
        (row) => row.instruction,
      ),
    ).toEqual(["Keep me"]);
    expect(await countSeeds(db, { projectId: other.id })).toBe(1);
    expect(await deleteSeeds(db, { projectId: project.id, ids: [] })).toBe(0);
  });
});

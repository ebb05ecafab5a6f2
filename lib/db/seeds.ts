// Seed instructions: bulk import (COPY into a temp table, then one INSERT that skips exact duplicates), paged
// listing with search, and deletion, each scoped by project.
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { normalizeSeedText, seedContentHash } from "@/lib/formats/seed-file";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface SeedToImport {
  instruction: string;
  input?: string;
}

export interface ImportSeedsInput {
  projectId: number;
  fileName: string;
  format: string;
  instructionField?: string | null;
  inputField?: string | null;
  seeds: readonly SeedToImport[];
  /** sha256 of the uploaded file's bytes. */
  sha256: string;
}

export interface ImportSeedsResult {
  importId: number;
  imported: number;
  /** Seeds skipped because the same instruction and input came earlier in the file or is already stored. */
  duplicates: number;
}

const copyChunkRows = 2000;
const copySpecial = /[\\\n\r\t]/g;
const copyEscapes: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A value in COPY's text format. */
function copyText(value: string): string {
  return value.replace(copySpecial, (char) => copyEscapes[char]!);
}

function* copyRows(seeds: readonly SeedToImport[]): Generator<string> {
  let chunk: string[] = [];
  for (let ord = 0; ord < seeds.length; ord++) {
    const seed = seeds[ord]!;
    const instruction = normalizeSeedText(seed.instruction);
    const input = normalizeSeedText(seed.input ?? "");
    chunk.push(
      `${ord}\t${copyText(instruction)}\t${copyText(input)}\t${seedContentHash(instruction, input)}\n`,
    );
    if (chunk.length === copyChunkRows) {
      yield chunk.join("");
      chunk = [];
    }
  }
  if (chunk.length > 0) yield chunk.join("");
}

/**
 * Imports seeds in one transaction, all or nothing: the SeedImport row, the rows (file order kept in ids),
 * and the counts. Exact duplicates, within the file or already in the project, are skipped and counted.
 */
export async function importSeeds(pool: pg.Pool, input: ImportSeedsInput): Promise<ImportSeedsResult> {
  if (input.seeds.length === 0) throw new AppError("invalid_input", "There are no seeds to import");
  const client = await pool.connect();
  let connectionBroken = false;
  try {
    await client.query("BEGIN");
    // KEY SHARE keeps the project from being deleted under the import.
    const project = await client.query('SELECT id FROM "Project" WHERE id = $1 FOR KEY SHARE', [
      input.projectId,
    ]);
    if (project.rowCount === 0) throw new AppError("not_found", `Project ${input.projectId} does not exist`);

    const created = await client.query<{ id: number }>(
      `INSERT INTO "SeedImport" ("projectId", "fileName", format, "instructionField", "inputField", "rowCount",
         "importedCount", "duplicateCount", sha256)
       VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $7) RETURNING id`,
      [
        input.projectId,
        input.fileName,
        input.format,
        input.instructionField ?? null,
        input.inputField ?? null,
        input.seeds.length,
        input.sha256,
      ],
    );
    const importId = created.rows[0]!.id;

    await client.query(
      `CREATE TEMP TABLE seed_import_rows (ord integer NOT NULL, instruction text NOT NULL, input text NOT NULL,
         "contentHash" text NOT NULL) ON COMMIT DROP`,
    );
    await pipeline(
      Readable.from(copyRows(input.seeds)),
      client.query(copyFrom('COPY seed_import_rows (ord, instruction, input, "contentHash") FROM STDIN')),
    );
    // First occurrence of each hash, inserted in file order so ids follow the file.
    const inserted = await client.query(
      `INSERT INTO "Seed" ("projectId", "importId", instruction, input, "contentHash")
       SELECT $1, $2, instruction, input, "contentHash"
       FROM (SELECT DISTINCT ON ("contentHash") ord, instruction, input, "contentHash"
             FROM seed_import_rows ORDER BY "contentHash", ord) AS firsts
       ORDER BY ord
       ON CONFLICT ("projectId", "contentHash") DO NOTHING`,
      [input.projectId, importId],
    );
    const imported = inserted.rowCount ?? 0;
    const duplicates = input.seeds.length - imported;
    await client.query('UPDATE "SeedImport" SET "importedCount" = $2, "duplicateCount" = $3 WHERE id = $1', [
      importId,
      imported,
      duplicates,
    ]);
    await client.query("COMMIT");
    return { importId, imported, duplicates };
  } catch (error) {
    try {
      await client.query("ROLLBACK");
    } catch {
      connectionBroken = true; // a connection that cannot roll back is not handed to the next caller
    }
    throw error;
  } finally {
    client.release(connectionBroken);
  }
}

export interface SeedRow {
  id: number;
  instruction: string;
  input: string;
  importId: number | null;
  createdAt: Date;
}

export const maxSeedPageSize = 500;

/**
 * One page of a project's seeds in id order (= import order, stable across pages). `search` is a
 * case-insensitive substring of the instruction or the input. `page` starts at 1.
 */
export async function listSeeds(
  db: DbOrTx,
  options: { projectId: number; page: number; pageSize: number; search?: string | null },
): Promise<{ rows: SeedRow[]; total: number }> {
  const page = Math.max(1, Math.floor(options.page));
  const pageSize = Math.min(maxSeedPageSize, Math.max(1, Math.floor(options.pageSize)));
  const search = options.search?.trim();
  const where: Prisma.SeedWhereInput = { projectId: options.projectId };
  if (search) {
    // Prisma passes `contains` into ILIKE as is: escape LIKE's wildcards so "50%" means the text "50%".
    const contains = search.replace(/[\\%_]/g, "\\$&");
    where.OR = [
      { instruction: { contains, mode: "insensitive" } },
      { input: { contains, mode: "insensitive" } },
    ];
  }
  const [rows, total] = await Promise.all([
    db.seed.findMany({
      where,
      orderBy: { id: "asc" },
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: { id: true, instruction: true, input: true, importId: true, createdAt: true },
    }),
    db.seed.count({ where }),
  ]);
  return { rows, total };
}

/** Deletes the given seeds of this project (ids of other projects are ignored); returns how many went. */
export async function deleteSeeds(
  db: DbOrTx,
  options: { projectId: number; ids: readonly number[] },
): Promise<number> {
  if (options.ids.length === 0) return 0;
  const deleted = await db.seed.deleteMany({
    where: { projectId: options.projectId, id: { in: [...options.ids] } },
  });
  return deleted.count;
}

export async function countSeeds(db: DbOrTx, options: { projectId: number }): Promise<number> {
  return db.seed.count({ where: { projectId: options.projectId } });
}

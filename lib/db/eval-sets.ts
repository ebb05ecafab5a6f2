// Evaluation sets of a project and their instructions, each scoped by project. An evaluation instruction with the
// same content hash as one of the project's seeds is an overlap: the paper keeps test instructions out of
// training data, so the app warns about it (it does not block: the user may know what they are doing).
import type pg from "pg";
import { withTransaction, type Queryable } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import type { EvalItem } from "@/lib/evaluation/eval-set-file";

export interface NewEvalSet {
  projectId: number;
  name: string;
  source: "public" | "file";
  sourceName: string;
  license: string | null;
  licenseNotice: string | null;
  sha256: string | null;
  items: readonly Pick<EvalItem, "instruction" | "input" | "category" | "sourceId" | "contentHash">[];
}

export interface EvalSetRow {
  id: number;
  projectId: number;
  name: string;
  source: string;
  sourceName: string;
  license: string | null;
  licenseNotice: string | null;
  instructionCount: number;
  createdAt: Date;
  /** Distinct categories of its instructions (0: the set has none). */
  categoryCount: number;
  /** Its instructions that are also seeds of the project (same instruction and input). */
  seedOverlap: number;
  evaluationCount: number;
}

const insertChunk = 5000;

/** Creates the set and its instructions (file order kept in `position`) in one transaction. */
export async function createEvalSet(pool: pg.Pool, input: NewEvalSet): Promise<{ id: number }> {
  if (input.items.length === 0)
    throw new AppError("invalid_input", "An evaluation set needs at least one instruction");
  return withTransaction(pool, async (client) => {
    const project = await client.query(`SELECT id FROM "Project" WHERE id = $1 FOR KEY SHARE`, [
      input.projectId,
    ]);
    if (project.rowCount === 0) throw new AppError("not_found", `Project ${input.projectId} does not exist`);
    const created = await client.query<{ id: number }>(
      `INSERT INTO "EvalSet" ("projectId", name, source, "sourceName", license, "licenseNotice", "instructionCount", sha256)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [
        input.projectId,
        input.name,
        input.source,
        input.sourceName,
        input.license,
        input.licenseNotice,
        input.items.length,
        input.sha256,
      ],
    );
    const setId = created.rows[0]!.id;
    for (let start = 0; start < input.items.length; start += insertChunk) {
      const chunk = input.items.slice(start, start + insertChunk);
      await client.query(
        `INSERT INTO "EvalInstruction" ("setId", position, instruction, input, category, "sourceId", "contentHash")
         SELECT $1, t.position, t.instruction, t.input, t.category, t."sourceId", t."contentHash"
         FROM unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS t(position, instruction, input, category, "sourceId", "contentHash")`,
        [
          setId,
          chunk.map((_, index) => start + index + 1),
          chunk.map((item) => item.instruction),
          chunk.map((item) => item.input),
          chunk.map((item) => item.category),
          chunk.map((item) => item.sourceId),
          chunk.map((item) => item.contentHash),
        ],
      );
    }
    return { id: setId };
  });
}

const setColumns = `s.id, s."projectId", s.name, s.source, s."sourceName", s.license, s."licenseNotice", s."instructionCount",
  s."createdAt",
  (SELECT count(DISTINCT category)::int FROM "EvalInstruction" i WHERE i."setId" = s.id) AS "categoryCount",
  (SELECT count(*)::int FROM "EvalInstruction" i
    WHERE i."setId" = s.id AND EXISTS (SELECT 1 FROM "Seed" seed WHERE seed."projectId" = s."projectId" AND seed."contentHash" = i."contentHash")
  ) AS "seedOverlap",
  (SELECT count(*)::int FROM "Evaluation" e WHERE e."setId" = s.id) AS "evaluationCount"`;

export async function listEvalSets(q: Queryable, projectId: number): Promise<EvalSetRow[]> {
  const result = await q.query<EvalSetRow>(
    `SELECT ${setColumns} FROM "EvalSet" s WHERE s."projectId" = $1 ORDER BY s.id`,
    [projectId],
  );
  return result.rows;
}

export async function getEvalSetOrThrow(q: Queryable, projectId: number, setId: number): Promise<EvalSetRow> {
  const result = await q.query<EvalSetRow>(
    `SELECT ${setColumns} FROM "EvalSet" s WHERE s.id = $1 AND s."projectId" = $2`,
    [setId, projectId],
  );
  const row = result.rows[0];
  if (!row) throw new AppError("not_found", `Evaluation set ${setId} is not a set of this project`);
  return row;
}

/** The project's copy of a public set, when it was loaded before. */
export async function findPublicEvalSet(
  q: Queryable,
  projectId: number,
  name: string,
): Promise<number | null> {
  const result = await q.query<{ id: number }>(
    `SELECT id FROM "EvalSet" WHERE "projectId" = $1 AND source = 'public' AND "sourceName" = $2 ORDER BY id LIMIT 1`,
    [projectId, name],
  );
  return result.rows[0]?.id ?? null;
}

/** A few of the set's instructions that are also seeds of the project, for the warning. */
export async function listSeedOverlapExamples(
  q: Queryable,
  projectId: number,
  setId: number,
  limit = 5,
): Promise<string[]> {
  const result = await q.query<{ instruction: string }>(
    `SELECT i.instruction FROM "EvalInstruction" i
     WHERE i."setId" = $1 AND EXISTS (SELECT 1 FROM "Seed" seed WHERE seed."projectId" = $2 AND seed."contentHash" = i."contentHash")
     ORDER BY i.position LIMIT $3`,
    [setId, projectId, limit],
  );
  return result.rows.map((row) => row.instruction);
}

/** The other direction (seeds imported after a set): seeds of the project found in any of its evaluation sets. */
export async function countSeedsInEvalSets(q: Queryable, projectId: number): Promise<number> {
  const result = await q.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "Seed" seed
     WHERE seed."projectId" = $1 AND EXISTS (
       SELECT 1 FROM "EvalInstruction" i JOIN "EvalSet" s ON s.id = i."setId"
       WHERE s."projectId" = $1 AND i."contentHash" = seed."contentHash")`,
    [projectId],
  );
  return result.rows[0]?.count ?? 0;
}

/** Deletes a set with its evaluations; refused while one of them is running. */
export async function deleteEvalSet(q: Queryable, projectId: number, setId: number): Promise<void> {
  const live = await q.query(
    `SELECT 1 FROM "Evaluation" WHERE "setId" = $1 AND state IN ('queued', 'running') LIMIT 1`,
    [setId],
  );
  if ((live.rowCount ?? 0) > 0)
    throw new AppError("conflict", "An evaluation of this set is running: cancel it first");
  const deleted = await q.query(`DELETE FROM "EvalSet" WHERE id = $1 AND "projectId" = $2`, [
    setId,
    projectId,
  ]);
  if (deleted.rowCount === 0)
    throw new AppError("not_found", `Evaluation set ${setId} is not a set of this project`);
}

export interface EvalInstructionRow {
  id: number;
  position: number;
  instruction: string;
  input: string;
  category: string | null;
  sourceId: string | null;
}

export async function getEvalInstruction(
  q: Queryable,
  instructionId: number,
): Promise<(EvalInstructionRow & { setId: number }) | null> {
  const result = await q.query<EvalInstructionRow & { setId: number }>(
    `SELECT id, "setId", position, instruction, input, category, "sourceId" FROM "EvalInstruction" WHERE id = $1`,
    [instructionId],
  );
  return result.rows[0] ?? null;
}

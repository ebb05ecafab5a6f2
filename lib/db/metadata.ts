// The metadata pool of a project: paged listing with filters, label counts for the charts, and hand-written
// entries (add, edit, delete). Entries that instructions were generated from are never edited or deleted here:
// their versions' lineage points at them.
import type { DbOrTx } from "@/lib/db/client";
import { metadataKey } from "@/lib/codeclm/pool";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { MetadataEntryInput, MetadataListQuery, MetadataOriginName } from "@/lib/schemas/metadata";

export interface MetadataRow {
  id: number;
  useCase: string;
  skills: string[];
  origin: MetadataOriginName;
  seedId: number | null;
  checked: boolean;
  plausible: boolean | null;
  checkNote: string | null;
  hasRubricSet: boolean;
  /** Instruction versions generated from this entry (any run). */
  versionCount: number;
  createdAt: Date;
}

export interface LabelCount {
  label: string;
  count: number;
}

export interface LabelCounts {
  top: LabelCount[];
  /** Everything past the top labels, folded into one bar. */
  others: { labels: number; count: number } | null;
  distinctLabels: number;
}

export interface MetadataCharts {
  total: number;
  byOrigin: Record<MetadataOriginName, number>;
  useCases: LabelCounts;
  skills: LabelCounts;
}

const activeRunStates = ["queued", "running", "cancelling", "stopping"] as const;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

function filterSql(query: Omit<MetadataListQuery, "page" | "pageSize">): Prisma.Sql {
  const conditions = [Prisma.sql`m."projectId" = ${query.projectId}`];
  if (query.origin) conditions.push(Prisma.sql`m.origin::text = ${query.origin}`);
  if (query.search) {
    const pattern = `%${escapeLike(query.search)}%`;
    conditions.push(
      Prisma.sql`(m."useCase" ILIKE ${pattern} OR EXISTS (SELECT 1 FROM unnest(m.skills) s WHERE s ILIKE ${pattern}))`,
    );
  }
  if (query.useCase) conditions.push(Prisma.sql`lower(m."useCase") = lower(${query.useCase})`);
  if (query.skill) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM unnest(m.skills) s WHERE lower(s) = lower(${query.skill}))`,
    );
  }
  return Prisma.join(conditions, " AND ");
}

function rowsSql(where: Prisma.Sql, tail: Prisma.Sql = Prisma.empty): Prisma.Sql {
  return Prisma.sql`
    SELECT m.id, m."useCase", m.skills, m.origin::text AS origin, m."seedId", m.checked, m.plausible,
           m."checkNote", m."createdAt",
           EXISTS (SELECT 1 FROM "RubricSet" r WHERE r."metadataId" = m.id) AS "hasRubricSet",
           (SELECT count(*)::int FROM "InstructionVersion" v
             WHERE v."projectId" = m."projectId" AND v."metadataId" = m.id) AS "versionCount"
    FROM "MetadataEntry" m
    WHERE ${where}
    ${tail}`;
}

/** One page of the pool in id order, with each entry's rubric set presence and version count. */
export async function listMetadata(
  db: DbOrTx,
  query: MetadataListQuery,
): Promise<{ rows: MetadataRow[]; total: number }> {
  const where = filterSql(query);
  const offset = (query.page - 1) * query.pageSize;
  const [rows, counted] = await Promise.all([
    db.$queryRaw<MetadataRow[]>(
      rowsSql(where, Prisma.sql`ORDER BY m.id LIMIT ${query.pageSize} OFFSET ${offset}`),
    ),
    db.$queryRaw<{ total: number }[]>(
      Prisma.sql`SELECT count(*)::int AS total FROM "MetadataEntry" m WHERE ${where}`,
    ),
  ]);
  return { rows, total: counted[0]?.total ?? 0 };
}

export async function getMetadataRow(
  db: DbOrTx,
  options: { projectId: number; id: number },
): Promise<MetadataRow> {
  const rows = await db.$queryRaw<MetadataRow[]>(
    rowsSql(Prisma.sql`m."projectId" = ${options.projectId} AND m.id = ${options.id}`),
  );
  const row = rows[0];
  if (!row) throw new AppError("not_found", `Metadata entry ${options.id} does not exist in this project`);
  return row;
}

/** Labels grouped case-insensitively (shown in their most frequent spelling), the `top` most frequent, the rest folded. */
async function countLabels(db: DbOrTx, labels: Prisma.Sql, top: number): Promise<LabelCounts> {
  const rows = await db.$queryRaw<{ label: string | null; count: number; labels: number }[]>(Prisma.sql`
    WITH labels AS (${labels}),
    grouped AS (SELECT lower(label) AS key, mode() WITHIN GROUP (ORDER BY label) AS label, count(*)::int AS count FROM labels GROUP BY 1),
    ranked AS (SELECT label, count, row_number() OVER (ORDER BY count DESC, key) AS rank FROM grouped)
    SELECT label, count, 1 AS labels FROM ranked WHERE rank <= ${top}
    UNION ALL
    SELECT NULL, sum(count)::int, count(*)::int FROM ranked WHERE rank > ${top} HAVING count(*) > 0`);
  const topRows = rows.filter((row) => row.label !== null).sort((a, b) => b.count - a.count);
  const folded = rows.find((row) => row.label === null);
  return {
    top: topRows.map((row) => ({ label: row.label as string, count: row.count })),
    others: folded ? { labels: folded.labels, count: folded.count } : null,
    distinctLabels: topRows.length + (folded?.labels ?? 0),
  };
}

/** Counts for the charts: use cases and skills (top `top` + others), entries by origin. */
export async function getMetadataCharts(
  db: DbOrTx,
  options: { projectId: number; origin?: MetadataOriginName; top?: number },
): Promise<MetadataCharts> {
  const top = options.top ?? 20;
  const where = filterSql({ projectId: options.projectId, origin: options.origin });
  const [origins, useCases, skills] = await Promise.all([
    db.$queryRaw<{ origin: MetadataOriginName; count: number }[]>(Prisma.sql`
      SELECT origin::text AS origin, count(*)::int AS count FROM "MetadataEntry" m WHERE ${where} GROUP BY 1`),
    countLabels(db, Prisma.sql`SELECT m."useCase" AS label FROM "MetadataEntry" m WHERE ${where}`, top),
    countLabels(db, Prisma.sql`SELECT unnest(m.skills) AS label FROM "MetadataEntry" m WHERE ${where}`, top),
  ]);
  const byOrigin: Record<MetadataOriginName, number> = { seed: 0, mixed: 0, handwritten: 0 };
  for (const row of origins) byOrigin[row.origin] = row.count;
  const total = byOrigin.seed + byOrigin.mixed + byOrigin.handwritten;
  return { total, byOrigin, useCases, skills };
}

/** Edits under a running pipeline would race its pool, rubrics and decode steps. */
export async function assertNoActiveRun(db: DbOrTx, projectId: number): Promise<void> {
  const active = await db.run.count({ where: { projectId, state: { in: [...activeRunStates] } } });
  if (active > 0) {
    throw new AppError(
      "conflict",
      "A run is in progress: wait for it to finish or cancel it before changing the metadata",
    );
  }
}

async function assertKeyFree(db: DbOrTx, projectId: number, key: string, exceptId?: number): Promise<void> {
  const existing = await db.metadataEntry.findUnique({
    where: { projectId_key: { projectId, key } },
    select: { id: true },
  });
  if (existing && existing.id !== exceptId) {
    throw new AppError("conflict", `Entry #${existing.id} already has this use case and these skills`, {
      fieldErrors: { useCase: `Entry #${existing.id} already has this use case and these skills` },
    });
  }
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/**
 * Adds a hand-written entry (the paper's seedless scenario, or a gap in the pool). A human wrote it, so it
 * counts as checked and plausible. The key is the pool's, so it dedupes against generated entries.
 */
export async function createMetadataEntry(
  db: DbOrTx,
  input: { projectId: number } & MetadataEntryInput,
): Promise<MetadataRow> {
  await assertNoActiveRun(db, input.projectId);
  const key = metadataKey(input.useCase, input.skills);
  await assertKeyFree(db, input.projectId, key);
  try {
    const created = await db.metadataEntry.create({
      data: {
        projectId: input.projectId,
        useCase: input.useCase,
        skills: input.skills,
        origin: "handwritten",
        key,
        checked: true,
        plausible: true,
        checkNote: "Written by hand",
      },
      select: { id: true },
    });
    return getMetadataRow(db, { projectId: input.projectId, id: created.id });
  } catch (error) {
    if (isUniqueViolation(error)) await assertKeyFree(db, input.projectId, key);
    throw error;
  }
}

async function versionCount(db: DbOrTx, projectId: number, metadataId: number): Promise<number> {
  return db.instructionVersion.count({ where: { projectId, metadataId } });
}

/**
 * Changes an entry's use case and skills. Refused once instructions were generated from it (their lineage
 * would point at metadata they were not written for). Its rubric set, written for the old text, is deleted.
 */
export async function updateMetadataEntry(
  db: DbOrTx,
  input: { projectId: number; id: number } & MetadataEntryInput,
): Promise<MetadataRow> {
  await assertNoActiveRun(db, input.projectId);
  const current = await getMetadataRow(db, input);
  const generated = await versionCount(db, input.projectId, input.id);
  if (generated > 0) {
    throw new AppError(
      "conflict",
      `${generated.toLocaleString("en-US")} instruction version${generated === 1 ? " was" : "s were"} generated from entry #${input.id}: editing it would break their lineage. Add a new entry instead.`,
    );
  }
  const key = metadataKey(input.useCase, input.skills);
  await assertKeyFree(db, input.projectId, key, input.id);
  try {
    const updated = await db.metadataEntry.updateMany({
      // The versions guard holds even if a version appeared since the count above.
      where: { id: input.id, projectId: input.projectId, versions: { none: {} } },
      data: {
        useCase: input.useCase,
        skills: input.skills,
        key,
        checked: true,
        plausible: true,
        checkNote: "Edited by hand",
      },
    });
    if (updated.count === 0)
      throw new AppError("conflict", `Entry #${input.id} changed meanwhile: reload and try again`);
  } catch (error) {
    if (isUniqueViolation(error)) await assertKeyFree(db, input.projectId, key, input.id);
    throw error;
  }
  if (current.hasRubricSet) await db.rubricSet.deleteMany({ where: { metadataId: input.id } });
  return getMetadataRow(db, input);
}

/**
 * Deletes the given entries of this project, except those instructions were generated from (counted in
 * `withInstructions`). Ids of other projects are ignored.
 */
export async function deleteMetadataEntries(
  db: DbOrTx,
  options: { projectId: number; ids: readonly number[] },
): Promise<{ deleted: number; withInstructions: number }> {
  if (options.ids.length === 0) return { deleted: 0, withInstructions: 0 };
  await assertNoActiveRun(db, options.projectId);
  const scope = { projectId: options.projectId, id: { in: [...options.ids] } };
  const deleted = await db.metadataEntry.deleteMany({ where: { ...scope, versions: { none: {} } } });
  const withInstructions = await db.metadataEntry.count({ where: scope });
  return { deleted: deleted.count, withInstructions };
}

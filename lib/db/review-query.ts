// SQL pieces of the review list: the WHERE clause of a filter, the sort order as "segments" (a nullable sort key
// puts its NULL rows after every scored row, in id order, in both directions), and opaque keyset cursors.
// Each segment is one range of one covering index (see the review indexes in prisma/schema.prisma), so a page is
// a short index scan whatever its depth.
import type { DbOrTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";
import type { ReviewFilter, ReviewSort, ReviewSortField } from "@/lib/schemas/review";

const sortKeys: Record<ReviewSortField, { column: string; cast: string; nullable: boolean }> = {
  gap: { column: "gap", cast: "float8", nullable: true },
  iteration: { column: "iteration", cast: "int4", nullable: false },
  createdAt: { column: "createdAt", cast: "timestamp(3)", nullable: false },
  strongScore: { column: "strongScore", cast: "float8", nullable: true },
  targetScore: { column: "targetScore", cast: "float8", nullable: true },
};

interface KeyColumn {
  column: string;
  cast: string;
}

/** One ordered range of rows: `condition` picks it, `keys` order it (the last key is always id). */
export interface Segment {
  /** Position in the forward order: cursors refer to it. */
  index: number;
  condition: Prisma.Sql;
  keys: KeyColumn[];
  descending: boolean;
}

/** A row's place in the order: its segment and its key values as PostgreSQL text (exact round trip). */
export interface Position {
  segment: number;
  keys: string[];
}

export interface KeyRow {
  id: number;
  position: Position;
}

const idKey: KeyColumn = { column: "id", cast: "int4" };

function column(name: string): Prisma.Sql {
  return Prisma.raw(`v."${name}"`);
}

/** The segments of a sort in forward order. */
export function sortSegments(sort: ReviewSort): Segment[] {
  const key = sortKeys[sort.field];
  const descending = sort.direction === "desc";
  const sortKey: KeyColumn = { column: key.column, cast: key.cast };
  if (!key.nullable) return [{ index: 0, condition: Prisma.empty, keys: [sortKey, idKey], descending }];
  return [
    {
      index: 0,
      condition: Prisma.sql`AND ${column(key.column)} IS NOT NULL`,
      keys: [sortKey, idKey],
      descending,
    },
    { index: 1, condition: Prisma.sql`AND ${column(key.column)} IS NULL`, keys: [idKey], descending },
  ];
}

/** The same rows read from the other end. */
export function reverseSegments(segments: readonly Segment[]): Segment[] {
  return [...segments].reverse().map((segment) => ({ ...segment, descending: !segment.descending }));
}

/**
 * WHERE conditions of a filter on `"InstructionVersion" v`. Use case and skill are resolved to metadata ids
 * beforehand (`metadataIds`), which keeps the list query on one table and its covering indexes.
 */
export function filterConditions(
  projectId: number,
  filter: ReviewFilter,
  metadataIds?: readonly number[],
): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`v."projectId" = ${projectId}`];
  if (filter.state === undefined) conditions.push(Prisma.sql`v.state <> 'improved'`);
  else if (filter.state !== "all") conditions.push(Prisma.sql`v.state = ${filter.state}::"InstructionState"`);
  if (filter.decision === "unreviewed") conditions.push(Prisma.sql`v."reviewDecision" IS NULL`);
  else if (filter.decision)
    conditions.push(Prisma.sql`v."reviewDecision" = ${filter.decision}::"ReviewDecision"`);
  if (filter.gapMin !== undefined) conditions.push(Prisma.sql`v.gap >= ${filter.gapMin}::float8`);
  if (filter.gapMax !== undefined) conditions.push(Prisma.sql`v.gap <= ${filter.gapMax}::float8`);
  if (filter.iteration !== undefined) conditions.push(Prisma.sql`v.iteration = ${filter.iteration}::int4`);
  if (filter.runId !== undefined) conditions.push(Prisma.sql`v."runId" = ${filter.runId}::int4`);
  if (metadataIds !== undefined)
    conditions.push(Prisma.sql`v."metadataId" = ANY(${[...metadataIds]}::int4[])`);
  if (filter.search) {
    conditions.push(Prisma.sql`v."searchVector" @@ websearch_to_tsquery('english', ${filter.search})`);
  }
  return Prisma.join(conditions, " AND ");
}

/** The project's metadata entries matching the use case / skill filter; undefined when the filter has neither. */
export async function resolveMetadataIds(
  db: DbOrTx,
  projectId: number,
  filter: ReviewFilter,
): Promise<number[] | undefined> {
  if (!filter.useCase && !filter.skill) return undefined;
  const useCase = filter.useCase ? Prisma.sql`AND "useCase" = ${filter.useCase}` : Prisma.empty;
  const skill = filter.skill ? Prisma.sql`AND skills @> ARRAY[${filter.skill}]::text[]` : Prisma.empty;
  const rows = await db.$queryRaw<Array<{ id: number }>>`
    SELECT id FROM "MetadataEntry" WHERE "projectId" = ${projectId} ${useCase} ${skill}`;
  return rows.map((row) => row.id);
}

// `+ 0` hides the index order from the planner (see ScanOptions.sortMatches).
const opaque: Record<string, string> = {
  int4: " + 0",
  float8: " + 0",
  "timestamp(3)": " + interval '0 seconds'",
};

function orderBy(segment: Segment, options: { opaque?: boolean } = {}): Prisma.Sql {
  const direction = segment.descending ? "DESC" : "ASC";
  const suffix = (key: KeyColumn) => (options.opaque ? opaque[key.cast]! : "");
  return Prisma.raw(segment.keys.map((key) => `v."${key.column}"${suffix(key)} ${direction}`).join(", "));
}

/** `(k1, id) > (…)` in the segment's direction: a row comparison the index range scan uses directly. */
function afterCondition(segment: Segment, keys: readonly string[]): Prisma.Sql {
  if (keys.length !== segment.keys.length) throw new Error("Cursor keys do not match the sort");
  const columns = Prisma.raw(segment.keys.map((key) => `v."${key.column}"`).join(", "));
  const values = Prisma.join(
    segment.keys.map((key, index) => Prisma.sql`${keys[index]}::${Prisma.raw(key.cast)}`),
  );
  const operator = Prisma.raw(segment.descending ? "<" : ">");
  return Prisma.sql`AND (${columns}) ${operator} (${values})`;
}

async function readSegment(
  db: DbOrTx,
  where: Prisma.Sql,
  segment: Segment,
  options: { after?: readonly string[]; offset: number; limit: number; sortMatches?: boolean },
): Promise<KeyRow[]> {
  const columns = Prisma.raw(segment.keys.map((key) => `v."${key.column}"`).join(", "));
  const keys = Prisma.raw(segment.keys.map((key) => `v."${key.column}"::text`).join(", "));
  const after = options.after ? afterCondition(segment, options.after) : Prisma.empty;
  // The keys are turned into text outside the scan: rows skipped by the offset only pass through.
  const rows = await db.$queryRaw<Array<{ id: number; keys: string[] }>>`
    SELECT v.id, ARRAY[${keys}] AS keys FROM (
      SELECT ${columns} FROM "InstructionVersion" v
      WHERE ${where} ${segment.condition} ${after}
      ORDER BY ${orderBy(segment, { opaque: options.sortMatches })} OFFSET ${options.offset} LIMIT ${options.limit}
    ) AS v
    ORDER BY ${orderBy(segment)}`;
  return rows.map((row) => ({ id: row.id, position: { segment: segment.index, keys: row.keys } }));
}

async function countSegment(db: DbOrTx, where: Prisma.Sql, segment: Segment): Promise<number> {
  const rows = await db.$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM "InstructionVersion" v WHERE ${where} ${segment.condition}`;
  return rows[0]?.count ?? 0;
}

export type ScanStart = { offset: number } | { after: Position };

export interface ScanOptions {
  /**
   * Collect the matches first (bitmap scan) and sort them, instead of walking the sort index and checking each
   * row. Faster for a deep offset into a full-text filter of moderate size, which the planner tends to misjudge.
   */
  sortMatches?: boolean;
}

/**
 * Up to `limit` rows in the order of `segments`, starting after a position or at an offset. An offset that
 * skips a whole segment counts that segment once (only pages past the scored rows of a nullable sort do).
 */
export async function scanSegments(
  db: DbOrTx,
  where: Prisma.Sql,
  segments: readonly Segment[],
  start: ScanStart,
  limit: number,
  options: ScanOptions = {},
): Promise<KeyRow[]> {
  const rows: KeyRow[] = [];
  let offset = "offset" in start ? start.offset : 0;
  let first = 0;
  if ("after" in start) {
    first = segments.findIndex((segment) => segment.index === start.after.segment);
    if (first < 0) throw new Error("Cursor segment does not match the sort");
  }
  for (let index = first; index < segments.length && rows.length < limit; index++) {
    const segment = segments[index]!;
    const after = "after" in start && index === first ? start.after.keys : undefined;
    const sortMatches = options.sortMatches === true && after === undefined;
    const found = await readSegment(db, where, segment, {
      after,
      offset,
      limit: limit - rows.length,
      sortMatches,
    });
    rows.push(...found);
    if (found.length === 0 && offset > 0 && index < segments.length - 1) {
      offset = Math.max(0, offset - (await countSegment(db, where, segment)));
    } else offset = 0;
  }
  return rows;
}

// Cursors: "a." (rows after) or "b." (rows before) + base64url JSON of the sort and the position.
export interface DecodedCursor {
  direction: "after" | "before";
  sort: string;
  position: Position;
}

const keyFormats: Record<string, RegExp> = {
  int4: /^-?\d{1,10}$/,
  float8: /^(-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?|-?Infinity|NaN)$/i,
  "timestamp(3)": /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?$/,
};

export function sortName(sort: ReviewSort): string {
  return `${sort.field}.${sort.direction}`;
}

export function encodeCursor(direction: "after" | "before", sort: ReviewSort, position: Position): string {
  const payload = JSON.stringify({ o: sortName(sort), s: position.segment, k: position.keys });
  return `${direction === "after" ? "a" : "b"}.${Buffer.from(payload, "utf8").toString("base64url")}`;
}

/** The cursor, or null when it is malformed or was made for another sort (a stale link falls back to the page). */
export function decodeCursor(cursor: string, sort: ReviewSort): DecodedCursor | null {
  const match = /^([ab])\.([A-Za-z0-9_-]+)$/.exec(cursor);
  if (!match) return null;
  try {
    const payload = JSON.parse(Buffer.from(match[2]!, "base64url").toString("utf8")) as unknown;
    if (typeof payload !== "object" || payload === null) return null;
    const { o, s, k } = payload as { o?: unknown; s?: unknown; k?: unknown };
    if (o !== sortName(sort) || (s !== 0 && s !== 1)) return null;
    if (!Array.isArray(k) || k.length === 0 || k.length > 2 || !k.every((key) => typeof key === "string"))
      return null;
    const segment = sortSegments(sort).find((candidate) => candidate.index === s);
    if (!segment || segment.keys.length !== k.length) return null;
    // Key values go into SQL casts: anything but a well-formed value would be a query error, not a page.
    if (!segment.keys.every((key, index) => keyFormats[key.cast]!.test(k[index] as string))) return null;
    const outOfRange = (key: KeyColumn, index: number) =>
      key.cast === "int4" && Math.abs(Number(k[index])) > 2_147_483_647;
    if (segment.keys.some(outOfRange)) return null;
    return {
      direction: match[1] === "a" ? "after" : "before",
      sort: o,
      position: { segment: s, keys: k as string[] },
    };
  } catch {
    return null;
  }
}

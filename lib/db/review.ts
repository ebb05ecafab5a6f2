// Review reads, each scoped by project: the paged list (keyset cursors for next/previous, offsets over covering
// indexes for jumps, never a COUNT per page), the count of a filter, the facets of the filter bar, and the detail
// of one version. Decisions and edits are in review-decisions.ts.
import type { DbOrTx } from "@/lib/db/client";
import {
  decodeCursor,
  encodeCursor,
  filterConditions,
  resolveMetadataIds,
  reverseSegments,
  scanSegments,
  sortSegments,
  type KeyRow,
  type ScanStart,
} from "@/lib/db/review-query";
import { contaminationMatchSchema, type ContaminationMatch } from "@/lib/codeclm/decontaminate";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  defaultReviewSort,
  maxReviewPageSize,
  type ReviewFilter,
  type ReviewSort,
} from "@/lib/schemas/review";

export type VersionStateName = "pending" | "kept" | "improved" | "dropped" | "failed" | "surplus";
export type ReviewDecisionName = "accepted" | "rejected";

export interface ReviewListRow {
  id: number;
  /** The start of the instruction (the reviewer's edit when there is one). */
  excerpt: string;
  edited: boolean;
  answerEdited: boolean;
  iteration: number;
  strongScore: number | null;
  targetScore: number | null;
  gap: number | null;
  state: VersionStateName;
  reviewDecision: ReviewDecisionName | null;
  keptAnswer: "strong" | "target" | null;
  runId: number;
  useCase: string;
  skills: string[];
  createdAt: string;
}

export interface ReviewPage {
  rows: ReviewListRow[];
  page: number;
  pageSize: number;
  hasNext: boolean;
  hasPrev: boolean;
  /** Cursor of the page after this one (rows after the last row). */
  nextCursor: string | null;
  /** Cursor of the page before this one (rows before the first row). */
  prevCursor: string | null;
}

export interface ListReviewItemsInput {
  projectId: number;
  filter: ReviewFilter;
  sort?: ReviewSort;
  pageSize: number;
  /** 1-based page number; used as an offset when there is no cursor. */
  page?: number;
  /** A cursor from a previous page's nextCursor/prevCursor; wins over the offset. */
  cursor?: string | null;
  /** The filter's count when the caller knows it: pages past the middle are then read from the end. */
  totalHint?: number;
}

const excerptLength = 280;

async function readRows(db: DbOrTx, projectId: number, ids: readonly number[]): Promise<ReviewListRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.$queryRaw<Array<Omit<ReviewListRow, "createdAt"> & { createdAt: Date }>>`
    SELECT v.id, left(COALESCE(v."editedText", v.text), ${excerptLength}::int) AS excerpt,
      v."editedText" IS NOT NULL AS edited, v."editedAnswer" IS NOT NULL AS "answerEdited", v.iteration,
      v."strongScore", v."targetScore", v.gap, v.state::text AS state, v."reviewDecision"::text AS "reviewDecision",
      v."keptAnswer"::text AS "keptAnswer", v."runId", m."useCase", m.skills, v."createdAt"
    FROM "InstructionVersion" v JOIN "MetadataEntry" m ON m.id = v."metadataId"
    WHERE v."projectId" = ${projectId} AND v.id = ANY(${[...ids]}::int4[])`;
  const byId = new Map(rows.map((row) => [row.id, { ...row, createdAt: row.createdAt.toISOString() }]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/**
 * Deep into a full-text filter of known, moderate size, sorting the matches beats walking the sort index and
 * checking each row's text (measured in bench/review-queries.ts); with very many matches the index walk wins.
 */
function sortFullTextMatches(filter: ReviewFilter, skipped: number, total: number | undefined): boolean {
  return filter.search !== undefined && skipped >= 1_000 && total !== undefined && total <= 200_000;
}

/** One page of the versions matching a filter, in the sort's order (NULL scores last in both directions). */
export async function listReviewItems(db: DbOrTx, input: ListReviewItemsInput): Promise<ReviewPage> {
  const sort = input.sort ?? defaultReviewSort;
  const pageSize = Math.min(maxReviewPageSize, Math.max(1, Math.floor(input.pageSize)));
  const page = Math.max(1, Math.floor(input.page ?? 1));
  const empty: ReviewPage = {
    rows: [],
    page,
    pageSize,
    hasNext: false,
    hasPrev: page > 1,
    nextCursor: null,
    prevCursor: null,
  };

  const metadataIds = await resolveMetadataIds(db, input.projectId, input.filter);
  if (metadataIds?.length === 0) return empty;
  const where = filterConditions(input.projectId, input.filter, metadataIds);
  const forward = sortSegments(sort);
  const cursor = input.cursor ? decodeCursor(input.cursor, sort) : null;

  let keyRows: KeyRow[];
  let hasNext: boolean;
  let hasPrev: boolean;
  if (cursor?.direction === "after") {
    keyRows = await scanSegments(db, where, forward, { after: cursor.position }, pageSize + 1);
    hasNext = keyRows.length > pageSize;
    keyRows = keyRows.slice(0, pageSize);
    hasPrev = true;
  } else if (cursor?.direction === "before") {
    keyRows = await scanSegments(
      db,
      where,
      reverseSegments(forward),
      { after: cursor.position },
      pageSize + 1,
    );
    hasPrev = keyRows.length > pageSize;
    keyRows = keyRows.slice(0, pageSize).reverse();
    hasNext = true;
  } else {
    const offset = (page - 1) * pageSize;
    const total = input.totalHint;
    const fromEnd = total !== undefined && offset > total / 2 && offset < total;
    const skipped = fromEnd ? total - offset - pageSize : offset;
    const options = { sortMatches: sortFullTextMatches(input.filter, skipped, total) };
    if (fromEnd) {
      // Past the middle, the page is nearer the other end: read it backwards with the smaller offset.
      const wanted = Math.min(pageSize, total - offset);
      const start: ScanStart = { offset: total - offset - wanted };
      keyRows = (await scanSegments(db, where, reverseSegments(forward), start, wanted, options)).reverse();
      hasNext = offset + wanted < total;
    } else {
      keyRows = await scanSegments(db, where, forward, { offset }, pageSize + 1, options);
      hasNext = keyRows.length > pageSize;
      keyRows = keyRows.slice(0, pageSize);
    }
    hasPrev = offset > 0;
  }

  const rows = await readRows(
    db,
    input.projectId,
    keyRows.map((row) => row.id),
  );
  const first = keyRows[0];
  const last = keyRows[keyRows.length - 1];
  return {
    rows,
    page,
    pageSize,
    hasNext,
    hasPrev,
    nextCursor: last && hasNext ? encodeCursor("after", sort, last.position) : null,
    prevCursor: first && hasPrev ? encodeCursor("before", sort, first.position) : null,
  };
}

/** How many versions match the filter (exact; one index-only or bitmap scan, so ask once per filter, not per page). */
export async function countMatching(
  db: DbOrTx,
  input: { projectId: number; filter: ReviewFilter },
): Promise<number> {
  const metadataIds = await resolveMetadataIds(db, input.projectId, input.filter);
  if (metadataIds?.length === 0) return 0;
  const rows = await db.$queryRaw<Array<{ count: number }>>`
    SELECT count(*)::int AS count FROM "InstructionVersion" v
    WHERE ${filterConditions(input.projectId, input.filter, metadataIds)}`;
  return rows[0]?.count ?? 0;
}

export interface ReviewFacets {
  useCases: string[];
  skills: string[];
  runs: Array<{ id: number; state: string; createdAt: string }>;
  maxIteration: number;
  /** Versions of any state: zero means the pipeline has not produced anything to review yet. */
  hasVersions: boolean;
}

/** The choices of the filter bar: the project's use cases, skills, runs and iterations. */
export async function getReviewFacets(db: DbOrTx, projectId: number): Promise<ReviewFacets> {
  const [useCases, skills, runs, iterations, anyVersion] = await Promise.all([
    db.$queryRaw<Array<{ useCase: string }>>`
      SELECT DISTINCT "useCase" FROM "MetadataEntry" WHERE "projectId" = ${projectId} ORDER BY "useCase"`,
    db.$queryRaw<Array<{ skill: string }>>`
      SELECT DISTINCT unnest(skills) AS skill FROM "MetadataEntry" WHERE "projectId" = ${projectId} ORDER BY skill`,
    db.run.findMany({
      where: { projectId },
      orderBy: { id: "desc" },
      select: { id: true, state: true, createdAt: true },
    }),
    // One entry of the (projectId, iteration) index.
    db.$queryRaw<Array<{ max: number | null }>>`
      SELECT max(iteration) AS max FROM "InstructionVersion" WHERE "projectId" = ${projectId}`,
    db.instructionVersion.findFirst({ where: { projectId }, select: { id: true } }),
  ]);
  return {
    useCases: useCases.map((row) => row.useCase),
    skills: skills.map((row) => row.skill),
    runs: runs.map((run) => ({ id: run.id, state: run.state, createdAt: run.createdAt.toISOString() })),
    maxIteration: iterations[0]?.max ?? 0,
    hasVersions: anyVersion !== null,
  };
}

export interface ChainStep {
  id: number;
  iteration: number;
  text: string;
  editedText: string | null;
  actionApplied: string | null;
  state: VersionStateName;
  strongScore: number | null;
  targetScore: number | null;
  gap: number | null;
}

export interface ReviewHistoryEntry {
  id: number;
  decision: ReviewDecisionName | null;
  editedText: string | null;
  editedAnswer: string | null;
  note: string | null;
  reviewer: string;
  batchId: string | null;
  createdAt: string;
}

export interface ReviewDetail {
  version: ChainStep & {
    runId: number;
    keptAnswer: "strong" | "target" | null;
    dropReason: string | null;
    reviewDecision: ReviewDecisionName | null;
    editedAnswer: string | null;
    createdAt: string;
  };
  /** Iteration 1 (the basic instruction) up to this version, in order. */
  chain: ChainStep[];
  /** The version that superseded this one, when it was improved. */
  nextVersionId: number | null;
  answers: { strong: { model: string; text: string } | null; target: { model: string; text: string } | null };
  judgement: {
    judgeModel: string;
    strongScoreOrderA: number;
    targetScoreOrderA: number;
    strongScoreOrderB: number;
    targetScoreOrderB: number;
    strongScore: number;
    targetScore: number;
    gap: number;
    threshold: number;
    decision: string;
    /** The judge's answers as received; null for judgements stored before they were kept. */
    rawOrderA: string | null;
    rawOrderB: string | null;
    orderInconsistent: boolean;
  } | null;
  /** Dropped before answering as a near-duplicate of `twin` (ROUGE-L `score`). */
  duplicateOf: { id: number; text: string; score: number } | null;
  /** Dropped before answering as a copy of an evaluation item. */
  contamination: ContaminationMatch | null;
  metadata: { id: number; useCase: string; skills: string[]; origin: string };
  rubricSet: { rubrics: string[]; actions: string[] } | null;
  /** Newest first. */
  reviews: ReviewHistoryEntry[];
  /** The latest reviewer note. */
  note: string | null;
}

const historyLength = 50;

/** One version with everything the detail pane shows; not_found when it is not in this project. */
export async function getReviewDetail(
  db: DbOrTx,
  input: { projectId: number; versionId: number },
): Promise<ReviewDetail> {
  const version = await db.instructionVersion.findFirst({
    where: { id: input.versionId, projectId: input.projectId },
    select: {
      id: true,
      iteration: true,
      text: true,
      editedText: true,
      actionApplied: true,
      state: true,
      strongScore: true,
      targetScore: true,
      gap: true,
      runId: true,
      keptAnswer: true,
      dropReason: true,
      reviewDecision: true,
      editedAnswer: true,
      createdAt: true,
      child: { select: { id: true } },
      responses: { select: { role: true, model: true, text: true } },
      judgement: {
        select: {
          judgeModel: true,
          strongScoreOrderA: true,
          targetScoreOrderA: true,
          strongScoreOrderB: true,
          targetScoreOrderB: true,
          strongScore: true,
          targetScore: true,
          gap: true,
          threshold: true,
          decision: true,
          rawOrderA: true,
          rawOrderB: true,
          orderInconsistent: true,
        },
      },
      duplicateOfId: true,
      duplicateScore: true,
      contamination: true,
      metadata: {
        select: {
          id: true,
          useCase: true,
          skills: true,
          origin: true,
          rubricSet: { select: { rubrics: true, actions: true } },
        },
      },
      reviews: {
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: historyLength,
        select: {
          id: true,
          decision: true,
          editedText: true,
          editedAnswer: true,
          note: true,
          reviewer: true,
          batchId: true,
          createdAt: true,
        },
      },
    },
  });
  if (!version) throw new AppError("not_found", `Instruction ${input.versionId} is not in this project`);

  // Walk up the parent links (one primary-key lookup per iteration).
  const chain = await db.$queryRaw<ChainStep[]>`
    WITH RECURSIVE chain AS (
      SELECT id, "parentId", iteration, text, "editedText", "actionApplied", state, "strongScore", "targetScore", gap
      FROM "InstructionVersion" WHERE id = ${version.id} AND "projectId" = ${input.projectId}
      UNION ALL
      SELECT p.id, p."parentId", p.iteration, p.text, p."editedText", p."actionApplied", p.state, p."strongScore",
        p."targetScore", p.gap
      FROM "InstructionVersion" p JOIN chain c ON p.id = c."parentId"
    )
    SELECT id, iteration, text, "editedText", "actionApplied", state::text AS state, "strongScore", "targetScore", gap
    FROM chain ORDER BY iteration, id`;

  const answer = (role: "strong" | "target") => {
    const response = version.responses.find((candidate) => candidate.role === role);
    return response ? { model: response.model, text: response.text } : null;
  };
  const twin =
    version.duplicateOfId === null
      ? null
      : await db.instructionVersion.findFirst({
          where: { id: version.duplicateOfId, projectId: input.projectId },
          select: { id: true, text: true },
        });
  const {
    child,
    responses: _responses,
    judgement,
    metadata,
    reviews,
    createdAt,
    duplicateOfId: _duplicateOfId,
    duplicateScore,
    contamination,
    ...fields
  } = version;
  return {
    version: { ...fields, createdAt: createdAt.toISOString() },
    chain,
    nextVersionId: child?.id ?? null,
    answers: { strong: answer("strong"), target: answer("target") },
    judgement,
    duplicateOf: twin ? { ...twin, score: duplicateScore ?? 0 } : null,
    contamination:
      contamination === null ? null : (contaminationMatchSchema.safeParse(contamination).data ?? null),
    metadata: {
      id: metadata.id,
      useCase: metadata.useCase,
      skills: metadata.skills,
      origin: metadata.origin,
    },
    rubricSet: metadata.rubricSet,
    reviews: reviews.map((review) => ({ ...review, createdAt: review.createdAt.toISOString() })),
    note: reviews.find((review) => review.note !== null)?.note ?? null,
  };
}

/** For callers that build SQL on the same filter (e.g. bulk review). */
export async function matchingCondition(
  db: DbOrTx,
  input: { projectId: number; filter: ReviewFilter },
): Promise<Prisma.Sql | null> {
  const metadataIds = await resolveMetadataIds(db, input.projectId, input.filter);
  if (metadataIds?.length === 0) return null;
  return filterConditions(input.projectId, input.filter, metadataIds);
}

// The Dashboard's numbers, each one aggregate query scoped by project (and optionally one run), so they stay
// fast on projects with a million instruction versions: totals, gap histogram, kept share per iteration,
// coverage of the seeds' use cases and skills by the kept data, and LLM tokens and cost.
import type { DbOrTx } from "@/lib/db/client";
import { Prisma } from "@/lib/generated/prisma/client";

export interface DashboardScope {
  projectId: number;
  /** One run only; absent: every run of the project. */
  runId?: number | null;
}

export type VersionState = "pending" | "kept" | "improved" | "dropped" | "failed" | "surplus";

export interface IterationStats {
  iteration: number;
  total: number;
  byState: Record<VersionState, number>;
  /** This iteration's share of all kept versions (the paper: most kept data comes from iteration 1). */
  keptShare: number;
  /** Kept among this iteration's judged versions (kept + improved + dropped). */
  keepRate: number;
}

export interface VersionTotals {
  total: number;
  byState: Record<VersionState, number>;
  keptByAnswer: { strong: number; target: number };
  review: { accepted: number; rejected: number; undecided: number };
  iterations: IterationStats[];
}

export interface GapBucket {
  /** Bucket centre; the bucket holds gaps within ± width / 2. */
  gap: number;
  kept: number;
  improved: number;
  dropped: number;
}

export interface CoverageRow {
  label: string;
  /** Seed-origin metadata entries with this label. */
  seedEntries: number;
  /** Kept versions whose metadata has this label. */
  kept: number;
}

export interface CoverageSide {
  /** Distinct labels among the seed entries, and how many of them the kept data has. */
  seedLabels: number;
  coveredLabels: number;
  /** Labels in the kept data that no seed entry has (from mix-and-match or hand-written entries). */
  newLabels: number;
  rows: CoverageRow[];
  others: { labels: number; seedEntries: number; kept: number } | null;
}

export interface Coverage {
  seedEntries: number;
  kept: number;
  useCases: CoverageSide;
  skills: CoverageSide;
}

export interface CostRow {
  promptName: string;
  role: string;
  calls: number;
  cacheHits: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface CostSummary extends Omit<CostRow, "promptName" | "role"> {
  byPrompt: CostRow[];
}

export interface RunSummary {
  id: number;
  state: string;
  /** θ the run was configured with; null when its snapshot has none. */
  gapThreshold: number | null;
  createdAt: Date;
  finishedAt: Date | null;
}

function runFilter(scope: DashboardScope): Prisma.Sql {
  return scope.runId ? Prisma.sql`AND "runId" = ${scope.runId}` : Prisma.empty;
}

function emptyStates(): Record<VersionState, number> {
  return { pending: 0, kept: 0, improved: 0, dropped: 0, failed: 0, surplus: 0 };
}

interface BreakdownRow {
  iteration: number;
  state: VersionState;
  keptAnswer: "strong" | "target" | null;
  reviewDecision: string | null;
  /** Gap bucket of a judged (kept, improved, dropped) version; null otherwise. */
  bucket: number | null;
  count: number;
}

interface VersionScan {
  breakdown: BreakdownRow[];
  keptByMetadata: { metadataId: number; kept: number }[];
}

const defaultBucketWidth = 0.5; // one step of an average of two integer scores

/**
 * Versions by iteration, state, kept answer, human decision and gap bucket: one parallel-friendly GROUP BY
 * (a plain GROUP BY parallelises; GROUPING SETS would not). Float math: numeric rounding per row costs more.
 */
async function countVersionBreakdown(
  db: DbOrTx,
  scope: DashboardScope,
  bucketWidth: number,
): Promise<BreakdownRow[]> {
  return db.$queryRaw<BreakdownRow[]>(Prisma.sql`
    SELECT iteration, state::text AS state, "keptAnswer"::text AS "keptAnswer",
           "reviewDecision"::text AS "reviewDecision",
           CASE WHEN gap IS NOT NULL AND state IN ('kept', 'improved', 'dropped')
                THEN floor(gap / ${bucketWidth}::float8 + 0.5) * ${bucketWidth}::float8 END AS bucket,
           count(*)::int AS count
    FROM "InstructionVersion"
    WHERE "projectId" = ${scope.projectId} ${runFilter(scope)}
    GROUP BY 1, 2, 3, 4, 5`);
}

/** Kept versions per metadata entry (the (projectId, state, id) index finds the kept rows). */
async function countKeptByMetadata(
  db: DbOrTx,
  scope: DashboardScope,
): Promise<VersionScan["keptByMetadata"]> {
  return db.$queryRaw<VersionScan["keptByMetadata"]>(Prisma.sql`
    SELECT "metadataId", count(*)::int AS kept FROM "InstructionVersion"
    WHERE "projectId" = ${scope.projectId} ${runFilter(scope)} AND state = 'kept'
    GROUP BY 1`);
}

async function scanVersions(db: DbOrTx, scope: DashboardScope, bucketWidth: number): Promise<VersionScan> {
  const [breakdown, keptByMetadata] = await Promise.all([
    countVersionBreakdown(db, scope, bucketWidth),
    countKeptByMetadata(db, scope),
  ]);
  return { breakdown, keptByMetadata };
}

function toVersionTotals(breakdown: BreakdownRow[]): VersionTotals {
  const totals: VersionTotals = {
    total: 0,
    byState: emptyStates(),
    keptByAnswer: { strong: 0, target: 0 },
    review: { accepted: 0, rejected: 0, undecided: 0 },
    iterations: [],
  };
  const byIteration = new Map<number, Record<VersionState, number>>();
  for (const row of breakdown) {
    totals.total += row.count;
    totals.byState[row.state] += row.count;
    if (row.state === "kept" && row.keptAnswer) totals.keptByAnswer[row.keptAnswer] += row.count;
    if (row.reviewDecision === "accepted") totals.review.accepted += row.count;
    else if (row.reviewDecision === "rejected") totals.review.rejected += row.count;
    else if (row.state === "kept") totals.review.undecided += row.count;
    const states = byIteration.get(row.iteration) ?? emptyStates();
    states[row.state] += row.count;
    byIteration.set(row.iteration, states);
  }
  totals.iterations = [...byIteration.entries()]
    .sort(([a], [b]) => a - b)
    .map(([iteration, byState]) => {
      const judged = byState.kept + byState.improved + byState.dropped;
      return {
        iteration,
        total: Object.values(byState).reduce((sum, count) => sum + count, 0),
        byState,
        keptShare: totals.byState.kept > 0 ? byState.kept / totals.byState.kept : 0,
        keepRate: judged > 0 ? byState.kept / judged : 0,
      };
    });
  return totals;
}

function toGapHistogram(breakdown: BreakdownRow[]): GapBucket[] {
  const buckets = new Map<number, GapBucket>();
  for (const row of breakdown) {
    if (row.bucket === null || (row.state !== "kept" && row.state !== "improved" && row.state !== "dropped"))
      continue;
    const bucket = buckets.get(row.bucket) ?? { gap: row.bucket, kept: 0, improved: 0, dropped: 0 };
    bucket[row.state] += row.count;
    buckets.set(row.bucket, bucket);
  }
  return [...buckets.values()].sort((a, b) => a.gap - b.gap);
}

/** Versions by state, iteration, kept answer and human decision. */
export async function getVersionTotals(db: DbOrTx, scope: DashboardScope): Promise<VersionTotals> {
  return toVersionTotals(await countVersionBreakdown(db, scope, defaultBucketWidth));
}

/** Judged versions (kept, improved, dropped) by gap, in buckets of `bucketWidth` (default 0.5 = one score step). */
export async function getGapHistogram(
  db: DbOrTx,
  scope: DashboardScope,
  options: { bucketWidth?: number } = {},
): Promise<GapBucket[]> {
  return toGapHistogram(await countVersionBreakdown(db, scope, options.bucketWidth ?? defaultBucketWidth));
}

function foldCoverage(
  rows: CoverageRow[],
  top: number,
): Pick<CoverageSide, "seedLabels" | "coveredLabels" | "newLabels" | "rows" | "others"> {
  const sorted = [...rows].sort(
    (a, b) => b.seedEntries - a.seedEntries || b.kept - a.kept || a.label.localeCompare(b.label),
  );
  const rest = sorted.slice(top);
  return {
    seedLabels: rows.filter((row) => row.seedEntries > 0).length,
    coveredLabels: rows.filter((row) => row.seedEntries > 0 && row.kept > 0).length,
    newLabels: rows.filter((row) => row.seedEntries === 0 && row.kept > 0).length,
    rows: sorted.slice(0, top),
    others:
      rest.length > 0
        ? {
            labels: rest.length,
            seedEntries: rest.reduce((sum, row) => sum + row.seedEntries, 0),
            kept: rest.reduce((sum, row) => sum + row.kept, 0),
          }
        : null,
  };
}

/** Coverage from the kept counts per metadata entry (small: one row per entry) joined to the entries. */
async function coverageFrom(
  db: DbOrTx,
  projectId: number,
  keptByMetadata: VersionScan["keptByMetadata"],
  top: number,
): Promise<Coverage> {
  const ids = keptByMetadata.map((row) => row.metadataId);
  const counts = keptByMetadata.map((row) => row.kept);
  const entries = Prisma.sql`
    WITH kept AS (SELECT * FROM unnest(${ids}::int[], ${counts}::int[]) AS k("metadataId", kept)),
    entries AS (
      SELECT m."useCase", m.skills, (m.origin = 'seed') AS "fromSeed", coalesce(k.kept, 0) AS kept
      FROM "MetadataEntry" m LEFT JOIN kept k ON k."metadataId" = m.id
      WHERE m."projectId" = ${projectId} AND (m.origin = 'seed' OR k.kept IS NOT NULL)
    )`;
  const [useCases, skills, totals] = await Promise.all([
    db.$queryRaw<CoverageRow[]>(Prisma.sql`${entries}
      SELECT mode() WITHIN GROUP (ORDER BY "useCase") AS label,
             (count(*) FILTER (WHERE "fromSeed"))::int AS "seedEntries", sum(kept)::int AS kept
      FROM entries GROUP BY lower("useCase")`),
    db.$queryRaw<CoverageRow[]>(Prisma.sql`${entries}
      SELECT mode() WITHIN GROUP (ORDER BY skill) AS label,
             (count(*) FILTER (WHERE "fromSeed"))::int AS "seedEntries", sum(kept)::int AS kept
      FROM entries, unnest(skills) AS skill GROUP BY lower(skill)`),
    db.$queryRaw<{ seedEntries: number; kept: number }[]>(Prisma.sql`${entries}
      SELECT (count(*) FILTER (WHERE "fromSeed"))::int AS "seedEntries", coalesce(sum(kept), 0)::int AS kept
      FROM entries`),
  ]);
  return {
    seedEntries: totals[0]?.seedEntries ?? 0,
    kept: totals[0]?.kept ?? 0,
    useCases: foldCoverage(useCases, top),
    skills: foldCoverage(skills, top),
  };
}

/**
 * Use cases and skills of the seed entries (origin "seed") against those of the kept versions: how much of
 * the seeds' distribution the kept data covers. Labels compare case-insensitively.
 */
export async function getCoverage(
  db: DbOrTx,
  scope: DashboardScope,
  options: { top?: number } = {},
): Promise<Coverage> {
  return coverageFrom(db, scope.projectId, await countKeptByMetadata(db, scope), options.top ?? 20);
}

/** LLM calls of the project's runs: calls, cache hits, errors, tokens and cost, in total and by prompt and role. */
export async function getCostSummary(db: DbOrTx, scope: DashboardScope): Promise<CostSummary> {
  // Through the project's runs: LlmCall is indexed by run, not by project.
  const runs = scope.runId
    ? Prisma.sql`"runId" = ${scope.runId} AND "projectId" = ${scope.projectId}`
    : Prisma.sql`"runId" IN (SELECT id FROM "Run" WHERE "projectId" = ${scope.projectId})`;
  const byPrompt = await db.$queryRaw<CostRow[]>(Prisma.sql`
    SELECT "promptName", role::text AS role, count(*)::int AS calls,
           (count(*) FILTER (WHERE status = 'cache_hit'))::int AS "cacheHits",
           (count(*) FILTER (WHERE status = 'error'))::int AS errors,
           coalesce(sum("promptTokens"), 0)::float8 AS "promptTokens",
           coalesce(sum("completionTokens"), 0)::float8 AS "completionTokens",
           coalesce(sum("costUsd"), 0)::float8 AS "costUsd"
    FROM "LlmCall"
    WHERE ${runs}
    GROUP BY 1, 2
    ORDER BY "costUsd" DESC, calls DESC`);
  const sum = (key: keyof Omit<CostRow, "promptName" | "role">) =>
    byPrompt.reduce((total, row) => total + row[key], 0);
  return {
    calls: sum("calls"),
    cacheHits: sum("cacheHits"),
    errors: sum("errors"),
    promptTokens: sum("promptTokens"),
    completionTokens: sum("completionTokens"),
    costUsd: sum("costUsd"),
    byPrompt,
  };
}

/** The project's runs, newest first, with the θ each was configured with. */
export async function listRunSummaries(db: DbOrTx, projectId: number): Promise<RunSummary[]> {
  return db.$queryRaw<RunSummary[]>(Prisma.sql`
    SELECT id, state::text AS state, "createdAt", "finishedAt",
           CASE WHEN jsonb_typeof("configSnapshot" -> 'settings' -> 'gapThreshold') = 'number'
                THEN ("configSnapshot" -> 'settings' ->> 'gapThreshold')::float8 END AS "gapThreshold"
    FROM "Run" WHERE "projectId" = ${projectId}
    ORDER BY id DESC`);
}

export async function countProjectInputs(
  db: DbOrTx,
  projectId: number,
): Promise<{ seeds: number; metadata: { total: number; seed: number; mixed: number; handwritten: number } }> {
  const [seeds, origins] = await Promise.all([
    db.seed.count({ where: { projectId } }),
    db.metadataEntry.groupBy({ by: ["origin"], where: { projectId }, _count: { _all: true } }),
  ]);
  const metadata = { total: 0, seed: 0, mixed: 0, handwritten: 0 };
  for (const row of origins) {
    metadata[row.origin] = row._count._all;
    metadata.total += row._count._all;
  }
  return { seeds, metadata };
}

export interface Dashboard {
  scope: DashboardScope;
  runs: RunSummary[];
  /** θ for the histogram: the selected (or latest) run's, else the project's current setting. */
  gapThreshold: number;
  inputs: Awaited<ReturnType<typeof countProjectInputs>>;
  versions: VersionTotals;
  gapHistogram: GapBucket[];
  coverage: Coverage;
  cost: CostSummary;
}

/** Everything the Dashboard page shows, in parallel: two aggregates over the versions, one over the calls. */
export async function getDashboard(db: DbOrTx, scope: DashboardScope): Promise<Dashboard> {
  const [project, runs, inputs, scan, cost] = await Promise.all([
    db.project.findUnique({ where: { id: scope.projectId }, select: { gapThreshold: true } }),
    listRunSummaries(db, scope.projectId),
    countProjectInputs(db, scope.projectId),
    scanVersions(db, scope, defaultBucketWidth),
    getCostSummary(db, scope),
  ]);
  const coverage = await coverageFrom(db, scope.projectId, scan.keptByMetadata, 20);
  const run = scope.runId ? runs.find((candidate) => candidate.id === scope.runId) : runs[0];
  const gapThreshold = run?.gapThreshold ?? project?.gapThreshold ?? 3;
  return {
    scope,
    runs,
    gapThreshold,
    inputs,
    versions: toVersionTotals(scan.breakdown),
    gapHistogram: toGapHistogram(scan.breakdown),
    coverage,
    cost,
  };
}

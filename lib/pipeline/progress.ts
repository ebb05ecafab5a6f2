// A run's progress per stage, for the UI's polling and the CLI's progress bar: counts, throughput over the last
// minute (the ETA's input), LLM usage (calls, cache hits, tokens, cost) and the latest errors with their item.
import { getPool } from "@/lib/db/client";
import { countTasksByKind, type TaskCounts, type TaskKind } from "@/lib/db/run-tasks";
import { getRunOrThrow, type RunErrorRow, type RunState } from "@/lib/db/runs";
import type { Queryable } from "@/lib/db/sql";
import { parseRunConfig } from "@/lib/pipeline/run-config";

export interface StageProgress {
  total: number;
  pending: number;
  done: number;
  failed: number;
}

export interface IterateProgress {
  /** Instruction versions made so far (basic instructions and rewrites). */
  total: number;
  pending: number;
  kept: number;
  improved: number;
  dropped: number;
  failed: number;
  basicInstructions: number;
  keptStrong: number;
  keptTarget: number;
  /** Kept versions per iteration (1 = basic instruction). */
  keptByIteration: Record<string, number>;
}

export interface StageCounts {
  encode: StageProgress;
  pool: StageProgress;
  rubrics: StageProgress;
  decode: StageProgress & { rounds: number };
  iterate: IterateProgress;
}

export interface LlmUsage {
  calls: number;
  /** Calls answered by a model (not the cache). */
  ok: number;
  cacheHits: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
  avgLatencyMs: number;
}

export interface RunProgress {
  run: {
    id: number;
    projectId: number;
    state: RunState;
    stopReason: string | null;
    lastError: string | null;
    errorCount: number;
    generation: number;
    randomSeed: number;
    poolMode: "encode" | "existing";
    createdAt: Date;
    startedAt: Date | null;
    finishedAt: Date | null;
    elapsedSeconds: number;
  };
  targetSize: number;
  kept: number;
  stages: StageCounts;
  llm: LlmUsage;
  /** Over the last `windowSeconds`: what an ETA is computed from. */
  recent: { windowSeconds: number; llmCalls: number; versionsSettled: number; kept: number };
  /** Seconds until the target at the recent pace; null when nothing was kept recently or the run has ended. */
  etaSeconds: number | null;
  errors: RunErrorRow[];
}

const emptyStage = (): StageProgress => ({ total: 0, pending: 0, done: 0, failed: 0 });

function stageOf(counts: TaskCounts[], kind: TaskKind): StageProgress {
  const row = counts.find((count) => count.kind === kind);
  if (!row) return emptyStage();
  return {
    total: row.pending + row.done + row.failed,
    pending: row.pending,
    done: row.done,
    failed: row.failed,
  };
}

export async function collectStageCounts(q: Queryable, runId: number): Promise<StageCounts> {
  // One after another: `q` may be a transaction's client, which runs one query at a time.
  const tasks = await countTasksByKind(q, runId);
  const versions = await q.query<{ state: string; iteration: number; kept: string | null; count: number }>(
    `SELECT state::text AS state, iteration, "keptAnswer"::text AS kept, count(*)::int AS count
     FROM "InstructionVersion" WHERE "runId" = $1 GROUP BY 1, 2, 3`,
    [runId],
  );
  const rounds = await q.query<{ rounds: number }>(
    `SELECT COALESCE(max(round), 0)::int AS rounds FROM "RunTask" WHERE "runId" = $1 AND kind = 'decode'`,
    [runId],
  );
  const iterate: IterateProgress = {
    total: 0,
    pending: 0,
    kept: 0,
    improved: 0,
    dropped: 0,
    failed: 0,
    basicInstructions: 0,
    keptStrong: 0,
    keptTarget: 0,
    keptByIteration: {},
  };
  for (const row of versions.rows) {
    iterate.total += row.count;
    if (row.iteration === 1) iterate.basicInstructions += row.count;
    if (
      row.state === "pending" ||
      row.state === "kept" ||
      row.state === "improved" ||
      row.state === "dropped" ||
      row.state === "failed"
    ) {
      iterate[row.state] += row.count;
    }
    if (row.state === "kept") {
      iterate.keptByIteration[row.iteration] = (iterate.keptByIteration[row.iteration] ?? 0) + row.count;
      if (row.kept === "target") iterate.keptTarget += row.count;
      else iterate.keptStrong += row.count;
    }
  }
  return {
    encode: stageOf(tasks, "encode"),
    pool: stageOf(tasks, "pool"),
    rubrics: stageOf(tasks, "rubrics"),
    decode: { ...stageOf(tasks, "decode"), rounds: rounds.rows[0]?.rounds ?? 0 },
    iterate,
  };
}

export async function collectLlmUsage(q: Queryable, runId: number): Promise<LlmUsage> {
  const result = await q.query<LlmUsage>(
    `SELECT count(*)::int AS calls,
       count(*) FILTER (WHERE status = 'ok')::int AS ok,
       count(*) FILTER (WHERE status = 'cache_hit')::int AS "cacheHits",
       count(*) FILTER (WHERE status = 'error')::int AS errors,
       COALESCE(sum("promptTokens"), 0)::float8 AS "promptTokens",
       COALESCE(sum("completionTokens"), 0)::float8 AS "completionTokens",
       COALESCE(sum("costUsd"), 0)::float8 AS "costUsd",
       COALESCE(avg("latencyMs") FILTER (WHERE status = 'ok'), 0)::float8 AS "avgLatencyMs"
     FROM "LlmCall" WHERE "runId" = $1`,
    [runId],
  );
  return result.rows[0]!;
}

const windowSeconds = 60;

/** The run's progress; with `projectId`, a run of another project is not found (ids from a browser are scoped). */
export async function getRunProgress(
  runId: number,
  options: { projectId?: number } = {},
): Promise<RunProgress> {
  const q: Queryable = getPool();
  const row = await getRunOrThrow(q, runId, { projectId: options.projectId });
  const config = parseRunConfig(row.configSnapshot);
  const [stages, llm, recent, errors] = await Promise.all([
    collectStageCounts(q, runId),
    collectLlmUsage(q, runId),
    q.query<{ calls: number; settled: number; kept: number }>(
      `SELECT
         (SELECT count(*)::int FROM "LlmCall" WHERE "runId" = $1 AND "createdAt" > now() - make_interval(secs => $2)) AS calls,
         count(*) FILTER (WHERE state <> 'pending')::int AS settled,
         count(*) FILTER (WHERE state = 'kept')::int AS kept
       FROM "InstructionVersion" WHERE "runId" = $1 AND "updatedAt" > now() - make_interval(secs => $2)`,
      [runId, windowSeconds],
    ),
    q.query<RunErrorRow>(
      `SELECT id, stage, "itemKind", "itemId", message, "rawOutput", "createdAt" FROM "RunError"
       WHERE "runId" = $1 ORDER BY id DESC LIMIT 20`,
      [runId],
    ),
  ]);
  const pace = recent.rows[0] ?? { calls: 0, settled: 0, kept: 0 };
  const target = config.settings.targetDatasetSize;
  const kept = stages.iterate.kept;
  const live = row.state === "running" || row.state === "queued";
  const started = row.startedAt ?? row.createdAt;
  const end = row.finishedAt ?? new Date();
  return {
    run: {
      id: row.id,
      projectId: row.projectId,
      state: row.state,
      stopReason: row.stopReason,
      lastError: row.lastError,
      errorCount: row.errorCount,
      generation: row.generation,
      randomSeed: row.randomSeed,
      poolMode: config.poolMode,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      elapsedSeconds: Math.max(0, (end.getTime() - started.getTime()) / 1000),
    },
    targetSize: target,
    kept,
    stages,
    llm,
    recent: { windowSeconds, llmCalls: pace.calls, versionsSettled: pace.settled, kept: pace.kept },
    etaSeconds: live && pace.kept > 0 ? (Math.max(0, target - kept) / pace.kept) * windowSeconds : null,
    errors: errors.rows,
  };
}

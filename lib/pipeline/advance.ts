// Stage barriers and the end of a run. Whenever an item settles and nothing of the run is pending any more, the
// run moves on: encode → pool; a written decode round's basic instructions are screened (near-duplicates, test
// items) and start their chains; then another decode round while the filter's yield left the kept count short,
// else the run is complete. Serialized per run by a row lock, and idempotent, so any worker may call it any time.
import { basicInstructionsPerEntry } from "@/lib/codeclm/decode";
import { countKept, dropPendingVersions, dropUnrewrittenVersions } from "@/lib/db/instruction-versions";
import { countTasksByKind, ensureTasks, hasPendingWork, type TaskCounts } from "@/lib/db/run-tasks";
import { findRun, transitionRun, type StopReason } from "@/lib/db/runs";
import { withTransaction, type Queryable } from "@/lib/db/sql";
import { countUnfinishedJobsOfRun, deleteQueuedJobsOfRun } from "@/lib/jobs/queue";
import { enqueueJobs, taskJobs, versionJobs } from "@/lib/pipeline/enqueue";
import { collectStageCounts } from "@/lib/pipeline/progress";
import { parseRunConfig } from "@/lib/pipeline/run-config";
import { screenWaitingBasics } from "@/lib/pipeline/screen";
import type { PipelineServices } from "@/lib/pipeline/services";

export const POOL_TASK_KEY = "pool";

function countsOf(rows: TaskCounts[], kind: TaskCounts["kind"]): TaskCounts | undefined {
  return rows.find((row) => row.kind === kind);
}

/** Ends a running run (completed or failed) inside the caller's transaction; false if it was not running. */
async function endRun(
  q: Queryable,
  runId: number,
  outcome: { state: "completed" | "failed"; stopReason: StopReason; lastError?: string },
): Promise<boolean> {
  return transitionRun(q, runId, {
    from: ["running", "queued"],
    to: outcome.state,
    stopReason: outcome.stopReason,
    lastError: outcome.lastError,
    finished: true,
    stageCounts: await collectStageCounts(q, runId),
  });
}

/** After a run ended: drop its queued jobs (they would only find the run inactive) and tell the local cache. */
async function afterRunEnded(services: PipelineServices, runId: number): Promise<void> {
  services.runs.invalidate(runId);
  await deleteQueuedJobsOfRun(services.pool, runId);
}

export async function failRun(
  services: PipelineServices,
  runId: number,
  failure: { message: string; stopReason: StopReason },
): Promise<boolean> {
  const ended = await endRun(services.pool, runId, {
    state: "failed",
    stopReason: failure.stopReason,
    lastError: failure.message,
  });
  if (ended) {
    services.log("error", "run failed", { runId, reason: failure.message });
    await afterRunEnded(services, runId);
  }
  return ended;
}

/** Inside the caller's transaction (holding the run row): running → stopping once the target count is kept. */
export async function beginStopAtTarget(q: Queryable, runId: number): Promise<boolean> {
  return transitionRun(q, runId, {
    from: ["running", "queued"],
    to: "stopping",
    stopReason: "target_reached",
  });
}

/** After a run began stopping: its in-flight calls here are aborted, queued jobs go, and it completes when idle. */
export async function afterStopBegan(services: PipelineServices, runId: number): Promise<void> {
  services.runs.invalidate(runId);
  services.runs.abort(runId);
  services.log("info", "run reached its target size: stopping in-flight work", { runId });
  await deleteQueuedJobsOfRun(services.pool, runId);
  await finishStopIfIdle(services, runId);
}

/** Stops starting new work once the kept count reaches the target (paper: stop at the target dataset size). */
export async function completeIfTargetReached(
  services: PipelineServices,
  runId: number,
  targetSize: number,
): Promise<boolean> {
  if ((await countKept(services.pool, runId)) < targetSize) return false;
  const began = await beginStopAtTarget(services.pool, runId);
  if (began) await afterStopBegan(services, runId);
  return began;
}

/**
 * A cancelling run becomes cancelled, a stopping one completed, once no job of it is queued or held by a live
 * worker (checked under the run row lock, after deleting its queued jobs): from then on nothing of the run can
 * start an LLM call. A completed run's unfinished versions are dropped with the reason, so none stays pending.
 */
export async function finishStopIfIdle(services: PipelineServices, runId: number): Promise<boolean> {
  const done = await withTransaction(services.pool, async (client) => {
    const run = await findRun(client, runId, { forUpdate: true });
    if (run?.state !== "cancelling" && run?.state !== "stopping") return false;
    await deleteQueuedJobsOfRun(client, runId);
    if ((await countUnfinishedJobsOfRun(client, runId, services.settings.expireSeconds)) > 0) return false;
    if (run.state === "stopping") {
      const { settings } = parseRunConfig(run.configSnapshot);
      await dropPendingVersions(
        client,
        runId,
        `Not finished: the run had kept its target of ${settings.targetDatasetSize} before this version was judged`,
      );
      await dropUnrewrittenVersions(
        client,
        runId,
        `Not finished: the run had kept its target of ${settings.targetDatasetSize} before this version's rewrite was written`,
      );
    }
    return transitionRun(client, runId, {
      from: [run.state],
      to: run.state === "stopping" ? "completed" : "cancelled",
      stopReason: run.state === "stopping" ? "target_reached" : "cancelled",
      finished: true,
      stageCounts: await collectStageCounts(client, runId),
    });
  });
  services.runs.invalidate(runId);
  return done;
}

type Advance = { kind: "none" } | { kind: "enqueued" } | { kind: "ended" };

/** Moves the run to its next stage when nothing is pending; a no-op otherwise. */
export async function advanceRun(services: PipelineServices, runId: number): Promise<void> {
  if (await hasPendingWork(services.pool, runId)) return;
  const outcome = await withTransaction<Advance>(services.pool, async (client) => {
    const row = await findRun(client, runId, { forUpdate: true });
    if (!row || row.state !== "running") return { kind: "none" };
    if (await hasPendingWork(client, runId)) return { kind: "none" };
    const config = parseRunConfig(row.configSnapshot);
    const run = { id: runId, generation: row.generation };
    // A decode round is written: screen its basic instructions together, then start their chains.
    const screen = await screenWaitingBasics(
      client,
      { ...run, projectId: row.projectId, randomSeed: row.randomSeed, state: row.state, config },
      services.log,
    );
    if (screen.passed.length > 0) {
      await enqueueJobs(services, versionJobs(run, screen.passed), client);
      return { kind: "enqueued" };
    }
    const tasks = await countTasksByKind(client, runId);
    const end = async (
      state: "completed" | "failed",
      stopReason: StopReason,
      lastError?: string,
    ): Promise<Advance> => {
      await endRun(client, runId, { state, stopReason, lastError });
      return { kind: "ended" };
    };

    if (config.poolMode === "encode") {
      const encode = countsOf(tasks, "encode");
      const pool = countsOf(tasks, "pool");
      if (!pool) {
        if (!encode || encode.done === 0) {
          return end(
            "failed",
            "no_metadata",
            `No seed could be encoded into metadata (${encode?.failed ?? 0} failed): see the run's errors`,
          );
        }
        const created = await ensureTasks(client, runId, [{ kind: "pool", key: POOL_TASK_KEY }]);
        await enqueueJobs(services, taskJobs(run, created), client);
        return { kind: "enqueued" };
      }
      if (pool.failed > 0)
        return end("failed", "no_metadata", "Building the metadata pool failed: see the run's errors");
    }

    const rubrics = countsOf(tasks, "rubrics");
    if (!rubrics || rubrics.done === 0) {
      const detail = rubrics
        ? `rubrics failed for all ${rubrics.failed} entries`
        : "the pool has no usable entry";
      return end("failed", "no_metadata", `No metadata entry can be used: ${detail}`);
    }
    const target = config.settings.targetDatasetSize;
    const kept = await countKept(client, runId);
    if (kept >= target) return end("completed", "target_reached"); // nothing pending: nothing in flight either

    const basic = await client.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM "InstructionVersion" WHERE "runId" = $1 AND iteration = 1`,
      [runId],
    );
    const basicCount = basic.rows[0]?.count ?? 0;
    if (basicCount === 0) {
      return end(
        "failed",
        "no_metadata",
        "No basic instruction could be written: every decode call failed (see the run's errors)",
      );
    }
    const roundRow = await client.query<{ round: number }>(
      `SELECT COALESCE(max(round), 0)::int AS round FROM "RunTask" WHERE "runId" = $1 AND kind = 'decode'`,
      [runId],
    );
    const round = roundRow.rows[0]?.round ?? 0;
    // Another round only when the yield is observable (something was kept) and rounds are left.
    if (round >= config.maxDecodeRounds || kept === 0) return end("completed", "pool_exhausted");

    const usable = await client.query<{ itemId: number }>(
      `SELECT "itemId" FROM "RunTask" WHERE "runId" = $1 AND kind = 'rubrics' AND state = 'done' ORDER BY "itemId"`,
      [runId],
    );
    const count = basicInstructionsPerEntry({
      targetDatasetSize: target - kept,
      poolSize: usable.rows.length,
      observedYield: kept / basicCount,
    });
    const created = await ensureTasks(
      client,
      runId,
      usable.rows.map(({ itemId }) => ({
        kind: "decode" as const,
        key: `decode:${itemId}:${round + 1}`,
        itemId,
        round: round + 1,
        input: { count, observedYield: kept / basicCount },
      })),
    );
    await enqueueJobs(services, taskJobs(run, created), client);
    return { kind: "enqueued" };
  });
  if (outcome.kind === "enqueued") services.wake();
  if (outcome.kind === "ended") await afterRunEnded(services, runId);
}

/** The target and barrier checks for a running run, whatever its last item did. */
export async function checkRunProgress(services: PipelineServices, runId: number): Promise<void> {
  const run = await findRun(services.pool, runId);
  if (run?.state !== "running") return;
  const { settings } = parseRunConfig(run.configSnapshot);
  if (await completeIfTargetReached(services, runId, settings.targetDatasetSize)) return;
  await advanceRun(services, runId);
}

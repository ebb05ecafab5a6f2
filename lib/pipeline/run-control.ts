// Starting, cancelling and resuming runs: what the UI's server actions and the CLI call. Each writes the run's
// state and queues its jobs in one transaction, then returns; workers do the LLM calls.
import { basicInstructionsPerEntry } from "@/lib/codeclm/decode";
import { methodSettingsSchema } from "@/lib/codeclm/settings";
import { getProjectEndpoints } from "@/lib/db/endpoints";
import { reopenFailedVersions } from "@/lib/db/instruction-versions";
import { getProjectOrThrow } from "@/lib/db/projects";
import { createEncodeTasks, ensureTasks, reopenFailedTasks } from "@/lib/db/run-tasks";
import {
  findActiveRunOfProject,
  getRunOrThrow,
  insertRun,
  restartRun,
  transitionRun,
  type RunState,
} from "@/lib/db/runs";
import { withTransaction } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { deleteQueuedJobsOfRun } from "@/lib/jobs/queue";
import { finishStopIfIdle } from "@/lib/pipeline/advance";
import { enqueueJobs, taskJobs } from "@/lib/pipeline/enqueue";
import { reconcileRun } from "@/lib/pipeline/reconcile";
import {
  buildRunConfig,
  buildRunEndpoints,
  parseRunConfig,
  type RunConfig,
  type StartRunOptions,
} from "@/lib/pipeline/run-config";
import { getPipelineServices } from "@/lib/pipeline/services";

export type { StartRunOptions } from "@/lib/pipeline/run-config";

export interface StartRunResult {
  runId: number;
  poolMode: RunConfig["poolMode"];
  /** Encode tasks (seeds) or rubrics tasks (existing metadata entries) queued at start. */
  queuedTasks: number;
}

async function runEndpointsFor(projectId: number) {
  const services = await getPipelineServices();
  try {
    return buildRunEndpoints(await getProjectEndpoints(services.db, projectId));
  } catch (error) {
    throw new AppError("invalid_input", error instanceof Error ? error.message : String(error));
  }
}

/**
 * Starts a run of the project with its current settings (optionally overridden for this run) and endpoints.
 * Uses the project's metadata entries when it has any (hand-written or edited pool), else encodes its seeds.
 */
export async function startRun(projectId: number, options: StartRunOptions = {}): Promise<StartRunResult> {
  const services = await getPipelineServices();
  const project = await getProjectOrThrow(services.db, projectId);
  const endpoints = await runEndpointsFor(projectId);
  const parsed = methodSettingsSchema.safeParse({ ...project, ...options.settings });
  if (!parsed.success) {
    throw new AppError(
      "invalid_input",
      `Invalid method settings: ${parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
    );
  }
  const counts = await services.pool.query<{ seeds: number; entries: number }>(
    `SELECT (SELECT count(*)::int FROM "Seed" WHERE "projectId" = $1) AS seeds,
            (SELECT count(*)::int FROM "MetadataEntry" WHERE "projectId" = $1 AND plausible IS DISTINCT FROM false) AS entries`,
    [projectId],
  );
  const { seeds, entries } = counts.rows[0]!;
  if (seeds === 0 && entries === 0) {
    throw new AppError(
      "invalid_input",
      "Add seed instructions or write metadata entries before starting a run",
    );
  }
  const poolMode: RunConfig["poolMode"] = entries > 0 ? "existing" : "encode";
  let config: RunConfig;
  try {
    config = buildRunConfig({
      settings: parsed.data,
      taskDescription: project.taskDescription,
      endpoints,
      poolMode,
      options,
    });
  } catch (error) {
    throw new AppError(
      "invalid_input",
      `Invalid run options: ${error instanceof Error ? error.message : String(error)}`,
    );
  }

  const result = await withTransaction(services.pool, async (client) => {
    // One live run per project: the metadata pool and its rubrics are the project's.
    await client.query(`SELECT id FROM "Project" WHERE id = $1 FOR UPDATE`, [projectId]);
    const active = await findActiveRunOfProject(client, projectId);
    if (active !== null)
      throw new AppError(
        "conflict",
        `Run ${active} of this project is still in progress: cancel it or wait for it to end`,
      );
    const runId = await insertRun(client, { projectId, config, randomSeed: config.settings.randomSeed });
    const run = { id: runId, generation: 1 };
    let tasks;
    if (poolMode === "encode") {
      tasks = await createEncodeTasks(client, runId, projectId);
    } else {
      const usable = await client.query<{ id: number }>(
        `SELECT id FROM "MetadataEntry" WHERE "projectId" = $1 AND plausible IS DISTINCT FROM false ORDER BY id`,
        [projectId],
      );
      const decodeCount = basicInstructionsPerEntry({
        targetDatasetSize: config.settings.targetDatasetSize,
        poolSize: usable.rows.length,
      });
      tasks = await ensureTasks(
        client,
        runId,
        usable.rows.map(({ id }) => ({
          kind: "rubrics" as const,
          key: `rubrics:${id}`,
          itemId: id,
          input: { decodeCount },
        })),
      );
    }
    await enqueueJobs(services, taskJobs(run, tasks), client);
    return { runId, poolMode, queuedTasks: tasks.length };
  });
  services.wake();
  services.log("info", "run started", {
    runId: result.runId,
    projectId,
    poolMode,
    tasks: result.queuedTasks,
  });
  return result;
}

/**
 * Stops a run: no new LLM call starts and calls in flight are aborted (here at once, in other workers within a
 * second); it is cancelled once no live worker holds a job of it (a dead worker's jobs do not count).
 */
export async function cancelRun(
  runId: number,
  scope: { projectId?: number } = {},
): Promise<{ state: RunState }> {
  const services = await getPipelineServices();
  const run = await getRunOrThrow(services.pool, runId, scope);
  if (run.state !== "queued" && run.state !== "running") return { state: run.state };
  await transitionRun(services.pool, runId, { from: ["queued", "running"], to: "cancelling" });
  services.runs.invalidate(runId);
  await deleteQueuedJobsOfRun(services.pool, runId);
  services.runs.abort(runId);
  await finishStopIfIdle(services, runId);
  const after = await getRunOrThrow(services.pool, runId);
  return { state: after.state };
}

/**
 * Continues a cancelled, interrupted or failed run where it stopped, with the project's current endpoints (so a fixed URL,
 * key variable or model takes effect); the method settings stay those of the run. `retryFailed` also re-opens
 * items that failed. On a running run it only re-queues missing work. `projectId` scopes the id (server actions).
 */
export async function resumeRun(
  runId: number,
  options: { retryFailed?: boolean; projectId?: number } = {},
): Promise<{ state: RunState; generation: number }> {
  const services = await getPipelineServices();
  const run = await getRunOrThrow(services.pool, runId, { projectId: options.projectId });
  if (run.state === "running" || run.state === "queued") {
    await reconcileRun(services, runId);
    return { state: run.state, generation: run.generation };
  }
  if (run.state === "cancelling" || run.state === "stopping")
    throw new AppError("conflict", "The run is still stopping: resume it once it is cancelled");
  if (run.state === "completed")
    throw new AppError("conflict", "The run is complete: start a new run to make more data");
  const config = { ...parseRunConfig(run.configSnapshot), endpoints: await runEndpointsFor(run.projectId) };
  const generation = await withTransaction(services.pool, async (client) => {
    const active = await findActiveRunOfProject(client, run.projectId);
    if (active !== null && active !== runId)
      throw new AppError("conflict", `Run ${active} of this project is in progress`);
    const next = await restartRun(client, runId, config);
    if (next === null)
      throw new AppError("conflict", "The run changed state meanwhile: reload and try again");
    if (options.retryFailed) {
      await reopenFailedTasks(client, runId);
      await reopenFailedVersions(client, runId);
    }
    return next;
  });
  services.runs.invalidate(runId);
  await reconcileRun(services, runId);
  services.log("info", "run resumed", { runId, generation });
  const after = await getRunOrThrow(services.pool, runId);
  return { state: after.state, generation };
}

/**
 * Marks a run stopped from outside (Ctrl-C in the CLI) once its process aborted the calls in flight: interrupted,
 * resumable like a cancelled run. Its queued jobs go, so no other worker continues it unasked.
 */
export async function interruptRun(runId: number): Promise<{ state: RunState }> {
  const services = await getPipelineServices();
  await transitionRun(services.pool, runId, {
    from: ["queued", "running", "cancelling"],
    to: "interrupted",
    stopReason: "interrupted",
    finished: true,
  });
  services.runs.abort(runId);
  await deleteQueuedJobsOfRun(services.pool, runId);
  const after = await getRunOrThrow(services.pool, runId);
  return { state: after.state };
}

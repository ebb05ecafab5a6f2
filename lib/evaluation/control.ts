// Starting, cancelling, resuming and reconciling evaluations: what the Evaluate page's server actions, the CLI
// and the worker's supervisor call. Each writes the evaluation's state and queues its jobs in one transaction,
// then returns; workers make the LLM calls.
import { getEvalSetOrThrow } from "@/lib/db/eval-sets";
import {
  deleteEvaluationRow,
  deleteFailedResults,
  findEvaluation,
  insertEvaluation,
  listUnsettledInstructionIds,
  restartEvaluation,
  storeEvalResult,
  transitionEvaluation,
  type EvaluationState,
} from "@/lib/db/evaluations";
import { withTransaction } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { buildEvaluationConfig } from "@/lib/evaluation/config";
import { completeIfSettled } from "@/lib/evaluation/finalize";
import { evaluationContract, evaluationJobs, type EvaluationJob } from "@/lib/jobs/contracts";
import { deleteQueuedJobsOfEvaluation, insertJobs, type SqlRunner } from "@/lib/jobs/queue";
import { reconcileJobs, type ReconcileResult } from "@/lib/jobs/reconcile";
import type { EndpointConfig } from "@/lib/llm/types";
import { getPipelineServices, type PipelineServices } from "@/lib/pipeline/services";

async function enqueue(
  services: PipelineServices,
  jobs: readonly EvaluationJob[],
  runner?: SqlRunner,
): Promise<void> {
  await insertJobs(services.boss, evaluationContract, jobs, {
    expireSeconds: services.settings.expireSeconds,
    runner,
  });
}

export interface StartEvaluationInput {
  projectId: number;
  setId: number;
  name?: string;
  target: EndpointConfig;
  reference: EndpointConfig;
  /** Null or absent: the reference endpoint judges. */
  judge?: EndpointConfig | null;
}

/** Creates the evaluation and queues one job per instruction of its set. */
export async function startEvaluation(
  input: StartEvaluationInput,
): Promise<{ evaluationId: number; instructions: number }> {
  const services = await getPipelineServices();
  const set = await getEvalSetOrThrow(services.pool, input.projectId, input.setId);
  const config = buildEvaluationConfig(input);
  const name = input.name?.trim() || `${config.target.model} vs ${config.reference.model} on ${set.name}`;
  const result = await withTransaction(services.pool, async (client) => {
    const evaluationId = await insertEvaluation(client, {
      projectId: input.projectId,
      setId: set.id,
      name,
      config,
    });
    const instructions = await client.query<{ id: number }>(
      `SELECT id FROM "EvalInstruction" WHERE "setId" = $1 ORDER BY position`,
      [set.id],
    );
    const ids = instructions.rows.map((row) => row.id);
    await enqueue(services, evaluationJobs({ id: evaluationId, generation: 1 }, ids), client);
    return { evaluationId, instructions: ids.length };
  });
  services.wake();
  services.log("info", "evaluation started", { ...result, projectId: input.projectId, setId: set.id });
  return result;
}

/** Stops an evaluation: queued jobs go; jobs in flight stop before their next LLM call. Results so far stay. */
export async function cancelEvaluation(evaluationId: number): Promise<{ state: EvaluationState }> {
  const services = await getPipelineServices();
  await transitionEvaluation(services.pool, evaluationId, {
    from: ["queued", "running"],
    to: "cancelled",
    finished: true,
  });
  await deleteQueuedJobsOfEvaluation(services.pool, evaluationId);
  const after = await findEvaluation(services.pool, evaluationId);
  if (!after) throw new AppError("not_found", `Evaluation ${evaluationId} does not exist`);
  return { state: after.state };
}

/**
 * Continues a cancelled or failed evaluation where it stopped; `retryFailed` also re-runs instructions that
 * failed (on a completed evaluation too). Calls already made are served from the cache. On a running
 * evaluation it only re-queues missing work.
 */
export async function resumeEvaluation(
  evaluationId: number,
  options: { retryFailed?: boolean } = {},
): Promise<{ state: EvaluationState; generation: number }> {
  const services = await getPipelineServices();
  const evaluation = await findEvaluation(services.pool, evaluationId);
  if (!evaluation) throw new AppError("not_found", `Evaluation ${evaluationId} does not exist`);
  if (evaluation.state === "running" || evaluation.state === "queued") {
    await reconcileEvaluation(services, evaluationId);
    return { state: evaluation.state, generation: evaluation.generation };
  }
  if (evaluation.state === "completed" && !(options.retryFailed && evaluation.errorCount > 0)) {
    throw new AppError("conflict", "The evaluation is complete: start a new one to evaluate again");
  }
  const from: EvaluationState[] = evaluation.state === "completed" ? ["completed"] : ["cancelled", "failed"];
  const generation = await withTransaction(services.pool, async (client) => {
    const next = await restartEvaluation(client, evaluationId, from);
    if (next === null)
      throw new AppError("conflict", "The evaluation changed state meanwhile: reload and try again");
    if (options.retryFailed) await deleteFailedResults(client, evaluationId);
    return next;
  });
  await reconcileEvaluation(services, evaluationId);
  services.log("info", "evaluation resumed", {
    evaluationId,
    generation,
    retryFailed: options.retryFailed ?? false,
  });
  const after = await findEvaluation(services.pool, evaluationId);
  return { state: after?.state ?? "running", generation };
}

export async function deleteEvaluation(projectId: number, evaluationId: number): Promise<void> {
  const services = await getPipelineServices();
  await deleteEvaluationRow(services.pool, projectId, evaluationId);
}

/**
 * Makes a running evaluation's queue match its unsettled instructions (lib/jobs/reconcile.ts, shared with runs);
 * then completes the evaluation if nothing is left. Used at worker start, by the supervisor and by resume.
 */
export async function reconcileEvaluation(
  services: PipelineServices,
  evaluationId: number,
): Promise<ReconcileResult> {
  const evaluation = await findEvaluation(services.pool, evaluationId);
  if (!evaluation || evaluation.state !== "running") return { enqueued: 0, markedFailed: 0 };
  const jobs = evaluationJobs(evaluation, await listUnsettledInstructionIds(services.pool, evaluationId));
  const result = await reconcileJobs(services, evaluationContract, jobs, (job, reason) =>
    storeEvalResult(services.pool, {
      evaluationId,
      evalInstructionId: job.instructionId,
      targetAnswer: null,
      referenceAnswer: null,
      scores: null,
      explanationOrderA: null,
      explanationOrderB: null,
      outcome: null,
      error: reason,
    }),
  );
  if (result.enqueued > 0) {
    services.log("info", "re-queued unfinished evaluation work", { evaluationId, jobs: result.enqueued });
    services.wake();
  }
  await completeIfSettled(services, evaluationId);
  return result;
}

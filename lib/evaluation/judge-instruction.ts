// One instruction of an evaluation (paper §3): the target and the reference answer it, then the judge scores the
// pair in both orders at temperature 0 (Fig. 12) and the both-orders rule gives win, tie or loss. Calls go one
// after another through the gateway (cache, limits, retries, call log), so a job that runs again after a crash
// pays only for the calls that had not finished; the result row is written once.
import { buildEvalJudgePrompt, outcomeBothOrders, type EvalJudgeOutput } from "@/lib/codeclm/evaluate";
import type { PromptSpec } from "@/lib/codeclm/prompt-types";
import { buildRespondPrompt, formatInstructionWithInput } from "@/lib/codeclm/respond";
import { getEvalInstruction } from "@/lib/db/eval-sets";
import {
  findEvaluation,
  getEvaluationState,
  storeEvalResult,
  type NewEvalResult,
} from "@/lib/db/evaluations";
import {
  describeEvaluationEndpoint,
  evaluationEndpointFor,
  parseEvaluationConfig,
  type EvaluationConfig,
  type EvaluationRole,
} from "@/lib/evaluation/config";
import { completeIfSettled, failEvaluation } from "@/lib/evaluation/finalize";
import type { EvaluationJob } from "@/lib/jobs/contracts";
import { isLlmError, type LlmError } from "@/lib/llm/errors";
import type { LlmRequest } from "@/lib/llm/types";
import type { PipelineServices } from "@/lib/pipeline/services";

/** The paper's judge runs at temperature 0. */
export const JUDGE_TEMPERATURE = 0;

/** The evaluation left the running state (cancelled, failed, completed, deleted): stop without a result. */
class EvaluationInactive extends Error {}

/** The endpoint is unusable (URL, key, model): every instruction would fail the same way. */
class FatalEndpoint extends Error {}

interface CallContext {
  services: PipelineServices;
  evaluationId: number;
  projectId: number;
  config: EvaluationConfig;
  signal: AbortSignal;
}

type CallOutcome<T> = { ok: true; value: T } | { ok: false; error: LlmError };

async function call<T>(
  context: CallContext,
  role: EvaluationRole,
  prompt: PromptSpec<T>,
): Promise<CallOutcome<T>> {
  const state = await getEvaluationState(context.services.pool, context.evaluationId);
  if (state !== "running") throw new EvaluationInactive();
  const endpoint = evaluationEndpointFor(context.config, role);
  const request: LlmRequest<T> = {
    promptName: prompt.name,
    promptVersion: prompt.version,
    messages: prompt.messages,
    temperature: role === "judge" ? JUDGE_TEMPERATURE : undefined,
  };
  const llmContext = {
    projectId: context.projectId,
    evaluationId: context.evaluationId,
    signal: context.signal,
  };
  try {
    const result = prompt.schema
      ? await context.services.gateway.complete(endpoint, { ...request, schema: prompt.schema }, llmContext)
      : await context.services.gateway.complete(
          endpoint,
          { ...(request as LlmRequest<string>), schema: undefined },
          llmContext,
        );
    return { ok: true, value: result.value as T };
  } catch (error) {
    if (!isLlmError(error) || error.kind === "cancelled") throw error;
    if (error.fatalForEndpoint) {
      const where = describeEvaluationEndpoint(context.config, role);
      throw new FatalEndpoint(`${where[0]!.toUpperCase()}${where.slice(1)} failed: ${error.message}`);
    }
    return { ok: false, error };
  }
}

type Settled = Omit<NewEvalResult, "evaluationId" | "evalInstructionId">;

async function evaluateInstruction(
  context: CallContext,
  instruction: { instruction: string; input: string },
): Promise<Settled> {
  const failed = (step: string, error: LlmError): Settled => ({
    targetAnswer: null,
    referenceAnswer: null,
    scores: null,
    explanationOrderA: null,
    explanationOrderB: null,
    outcome: null,
    error: `${step} failed: ${error.message}`,
  });
  const respond = buildRespondPrompt({ instruction: instruction.instruction, input: instruction.input });
  const target = await call(context, "target", respond);
  if (!target.ok) return failed("The target answer", target.error);
  const reference = await call(context, "reference", respond);
  if (!reference.ok)
    return { ...failed("The reference answer", reference.error), targetAnswer: target.value };
  const question = formatInstructionWithInput(instruction.instruction, instruction.input);
  const answers = { targetAnswer: target.value, referenceAnswer: reference.value };
  // Order A shows the target first, order B the reference first (outcomeBothOrders reads them that way).
  const orderA = await call<EvalJudgeOutput>(
    context,
    "judge",
    buildEvalJudgePrompt(question, target.value, reference.value),
  );
  if (!orderA.ok) return { ...failed("Judging (target answer first)", orderA.error), ...answers };
  const orderB = await call<EvalJudgeOutput>(
    context,
    "judge",
    buildEvalJudgePrompt(question, reference.value, target.value),
  );
  if (!orderB.ok) return { ...failed("Judging (reference answer first)", orderB.error), ...answers };
  return {
    ...answers,
    scores: {
      targetA: orderA.value.assistant_1_score,
      referenceA: orderA.value.assistant_2_score,
      referenceB: orderB.value.assistant_1_score,
      targetB: orderB.value.assistant_2_score,
    },
    explanationOrderA: orderA.value.explanation,
    explanationOrderB: orderB.value.explanation,
    outcome: outcomeBothOrders(orderA.value, orderB.value),
    error: null,
  };
}

export async function runEvaluationJob(
  services: PipelineServices,
  job: EvaluationJob,
  signal: AbortSignal,
): Promise<void> {
  const evaluation = await findEvaluation(services.pool, job.evaluationId);
  if (!evaluation || evaluation.state !== "running") return;
  const instruction = await getEvalInstruction(services.pool, job.instructionId);
  if (!instruction || instruction.setId !== evaluation.setId) return;
  const context: CallContext = {
    services,
    evaluationId: evaluation.id,
    projectId: evaluation.projectId,
    config: parseEvaluationConfig(evaluation.configSnapshot),
    signal,
  };
  let settled: Settled;
  try {
    settled = await evaluateInstruction(context, instruction);
  } catch (error) {
    if (error instanceof EvaluationInactive) return;
    if (error instanceof FatalEndpoint) {
      await failEvaluation(services, evaluation.id, error.message);
      return;
    }
    throw error;
  }
  await storeEvalResult(services.pool, {
    evaluationId: evaluation.id,
    evalInstructionId: instruction.id,
    ...settled,
  });
  await completeIfSettled(services, evaluation.id);
}

/** A job failed on every attempt (a bug or a database outage, not an LLM failure): the instruction fails. */
export async function recordExhaustedEvaluationJob(
  services: PipelineServices,
  job: EvaluationJob,
  error: unknown,
): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  services.log("error", "an evaluation job failed on every attempt", {
    evaluationId: job.evaluationId,
    instructionId: job.instructionId,
    error: message,
  });
  if ((await getEvaluationState(services.pool, job.evaluationId)) !== "running") return;
  const stored = await storeEvalResult(services.pool, {
    evaluationId: job.evaluationId,
    evalInstructionId: job.instructionId,
    targetAnswer: null,
    referenceAnswer: null,
    scores: null,
    explanationOrderA: null,
    explanationOrderB: null,
    outcome: null,
    error: `Failed on every attempt: ${message}`,
  });
  if (stored) await completeIfSettled(services, job.evaluationId);
}

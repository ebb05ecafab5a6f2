// One LLM call of a pipeline step: checks the run is still going, sends the step's prompt through the gateway
// (cache, limits, retries, call log) and sorts failures into three kinds: the item failed (recorded, the run goes
// on), the endpoint is unusable (the run stops), or the job was interrupted (it goes back to the queue).
import type { PromptSpec } from "@/lib/codeclm/prompt-types";
import { deriveSeed } from "@/lib/codeclm/random";
import { isLlmError, LlmError } from "@/lib/llm/errors";
import type { LlmRequest, LlmResult } from "@/lib/llm/types";
import type { RunContext } from "@/lib/pipeline/run-cache";
import { describeEndpoint, endpointFor, type LlmRole } from "@/lib/pipeline/run-config";
import type { PipelineServices } from "@/lib/pipeline/services";

/** The run left the running state (cancelled, failed, completed): stop without touching the item. */
export class RunInactiveError extends Error {
  constructor(
    readonly runId: number,
    readonly state: string,
  ) {
    super(`Run ${runId} is ${state}`);
    this.name = "RunInactiveError";
  }
}

/** An endpoint error that every further call would repeat (wrong URL, key or model): the run stops. */
export class FatalEndpointError extends Error {
  constructor(
    readonly role: LlmRole,
    readonly llmError: LlmError,
    readonly endpointDescription: string,
  ) {
    super(
      `${endpointDescription[0]!.toUpperCase()}${endpointDescription.slice(1)} failed: ${llmError.message}`,
    );
    this.name = "FatalEndpointError";
  }
}

export type LlmOutcome<T> = { ok: true; result: LlmResult<T> } | { ok: false; error: LlmError };

export async function ensureRunActive(services: PipelineServices, runId: number): Promise<RunContext> {
  const run = await services.runs.get(runId);
  if (!run) throw new RunInactiveError(runId, "deleted");
  if (run.state !== "running") throw new RunInactiveError(runId, run.state);
  return run;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** The method's sampling temperature (encode, decode, rubrics, improve); else the judge's setting or the endpoint's. */
  methodTemperature?: boolean;
  /**
   * The item the call is about (e.g. the chain's slot and iteration): the sampling seed is derived from the run
   * seed, the prompt and these, so each item samples differently yet reproducibly.
   */
  seedLabels?: ReadonlyArray<string | number>;
}

/** Sends one prompt as `role`. Returns the answer or the item's failure; throws for run-level conditions. */
export async function callLlm<T>(
  services: PipelineServices,
  run: RunContext,
  role: LlmRole,
  prompt: PromptSpec<T>,
  options: CallOptions = {},
): Promise<LlmOutcome<T>> {
  await ensureRunActive(services, run.id);
  const endpoint = endpointFor(run.config, role);
  const request: LlmRequest<T> = {
    promptName: prompt.name,
    promptVersion: prompt.version,
    messages: prompt.messages,
    // The method's steps sample; the filtering judge decides the hard θ cut, at its own (default 0) temperature.
    temperature: options.methodTemperature
      ? run.config.settings.temperature
      : role === "judge"
        ? run.config.settings.judgeTemperature
        : undefined,
    // One seed per run, step and item: servers that honour it sample reproducibly, and two items asked the same
    // way do not share a sample; a new run seed gives new data.
    seed: deriveSeed(run.randomSeed, "llm", prompt.name, ...(options.seedLabels ?? [])) & 0x7fffffff,
  };
  const context = { projectId: run.projectId, runId: run.id, signal: options.signal };
  try {
    const result = prompt.schema
      ? await services.gateway.complete(endpoint, { ...request, schema: prompt.schema }, context)
      : ((await services.gateway.complete(
          endpoint,
          { ...(request as LlmRequest<string>), schema: undefined },
          context,
        )) as LlmResult<T>);
    return { ok: true, result };
  } catch (error) {
    if (!isLlmError(error)) throw error;
    if (error.kind === "cancelled") throw error;
    if (error.fatalForEndpoint) throw new FatalEndpointError(role, error, describeEndpoint(run.config, role));
    return { ok: false, error };
  }
}

/** A one-line reason for an item's failure, naming the step. */
export function failureReason(step: string, error: LlmError): string {
  return `${step} failed: ${error.message}`;
}

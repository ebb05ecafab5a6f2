// The one gateway for every LLM call: cache, in-flight dedup, limits, retries, structured output, usage records.
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
} from "openai/resources/chat/completions";
import type { ZodType } from "zod";
import {
  adaptationFor,
  describeAdaptation,
  noAdaptations,
  structuredFallbackOf,
  withAdaptation,
  type Adaptation,
  type AdaptationStore,
  type EndpointAdaptations,
} from "@/lib/llm/adaptations";
import {
  getEndpointLimiter,
  sleep,
  type EndpointLimits,
  type LimiterOptions,
} from "@/lib/llm/endpoint-limiter";
import { parseServerError } from "@/lib/llm/error-body";
import { LlmError, toLlmError } from "@/lib/llm/errors";
import { computeFingerprint, normalizeBaseUrl } from "@/lib/llm/fingerprint";
import {
  buildChatParams,
  createOpenAiClient,
  estimatePromptTokens,
  resolveApiKey,
} from "@/lib/llm/openai-client";
import { defaultRetryOptions, retryDelayMs, type RetryOptions } from "@/lib/llm/retry";
import {
  parseStructuredText,
  prepareSchema,
  withJsonInTextInstruction,
  withRepairRequest,
  type PreparedSchema,
} from "@/lib/llm/structured-output";
import type {
  EndpointConfig,
  LlmCallRow,
  LlmCallStatus,
  LlmContext,
  LlmLog,
  LlmMessage,
  LlmRequest,
  LlmResult,
  LlmStore,
} from "@/lib/llm/types";

export interface LlmGatewayOptions {
  store: LlmStore;
  log?: LlmLog;
  retry?: Partial<RetryOptions>;
  limits?: LimiterOptions;
  /** Limits shared with other processes (lib/llm/shared-limiter.ts); default: this process's own limiter. */
  limiterFor?: (endpoint: EndpointConfig) => EndpointLimits;
  /** Where what servers refused is remembered; in memory (this gateway only) when absent. */
  adaptations?: AdaptationStore;
}

export interface LlmGateway {
  complete(
    endpoint: EndpointConfig,
    request: LlmRequest<string> & { schema?: undefined },
    context?: LlmContext,
  ): Promise<LlmResult<string>>;
  complete<T>(
    endpoint: EndpointConfig,
    request: LlmRequest<T> & { schema: ZodType<T> },
    context?: LlmContext,
  ): Promise<LlmResult<T>>;
  /** What this endpoint's server refused so far and how calls are adapted to it. */
  adaptationsFor(endpoint: EndpointConfig): Promise<EndpointAdaptations>;
}

/** What one producer of an answer learned; shared by identical concurrent requests. */
interface Outcome {
  value: unknown;
  text: string;
  fromCache: boolean;
}

/** Running totals of a call, kept outside the promise so failures can be recorded with what they cost. */
interface Tally {
  attempts: number;
  promptTokens: number;
  completionTokens: number;
  reasoningTokens: number;
}

/** At most this many adaptations (drop, rename, fallback) for one request before its refusal stands. */
const MAX_ADAPTATIONS = 5;

export function computeCostUsd(
  endpoint: Pick<EndpointConfig, "priceInputPerMTok" | "priceOutputPerMTok">,
  promptTokens: number,
  completionTokens: number,
): number {
  return (
    (promptTokens * endpoint.priceInputPerMTok + completionTokens * endpoint.priceOutputPerMTok) / 1_000_000
  );
}

function schemaNameFor(request: LlmRequest<unknown>): string {
  const name = (request.schemaName ?? request.promptName).replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 64);
  return name || "answer";
}

/** Rejects as soon as the caller's own signal aborts, even while waiting on someone else's request. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new LlmError("cancelled", "The call was cancelled"));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new LlmError("cancelled", "The call was cancelled"));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

// Identical requests in flight anywhere in this process (any gateway) share one producer.
const globals = globalThis as typeof globalThis & { __codeclmLlmInFlight?: Map<string, Promise<Outcome>> };
const inFlight: Map<string, Promise<Outcome>> = (globals.__codeclmLlmInFlight ??= new Map());

export function createLlmGateway(options: LlmGatewayOptions): LlmGateway {
  const { store } = options;
  const log: LlmLog = options.log ?? (() => undefined);
  const retry: RetryOptions = { ...defaultRetryOptions, ...options.retry };
  const preparedSchemas = new WeakMap<object, PreparedSchema>();
  const adaptationStore = options.adaptations ?? memoryAdaptationStore();
  const knownAdaptations = new Map<string, Promise<EndpointAdaptations>>();
  const adaptationKey = (endpoint: EndpointConfig) => ({
    baseUrl: normalizeBaseUrl(endpoint.baseUrl),
    model: endpoint.model,
  });

  function adaptationsFor(endpoint: EndpointConfig): Promise<EndpointAdaptations> {
    const key = adaptationKey(endpoint);
    const id = `${key.baseUrl}#${key.model}`;
    let known = knownAdaptations.get(id);
    if (!known) {
      known = adaptationStore.load(key).catch((error: unknown) => {
        log("warn", "could not load an endpoint's adaptations", {
          error: error instanceof Error ? error.message : String(error),
        });
        return noAdaptations;
      });
      knownAdaptations.set(id, known);
    }
    return known;
  }

  /** Adds what a server just refused to what is known of it, for every later call (and process, when stored). */
  async function learn(endpoint: EndpointConfig, adaptation: Adaptation): Promise<void> {
    const key = adaptationKey(endpoint);
    const merged = withAdaptation(await adaptationsFor(endpoint), adaptation);
    knownAdaptations.set(`${key.baseUrl}#${key.model}`, Promise.resolve(merged));
    log("warn", `${endpoint.model} at ${endpoint.baseUrl}: ${describeAdaptation(adaptation)}`, {
      serverMessage: adaptation.serverMessage,
    });
    await adaptationStore.save(key, merged).catch((error: unknown) => {
      log("warn", "could not store an endpoint's adaptation", {
        error: error instanceof Error ? error.message : String(error),
      });
    });
  }

  function prepared(schema: ZodType<unknown> | undefined): PreparedSchema | null {
    if (!schema) return null;
    let result = preparedSchemas.get(schema);
    if (!result) {
      result = prepareSchema(schema);
      preparedSchemas.set(schema, result);
    }
    return result;
  }

  async function record(row: LlmCallRow): Promise<number | null> {
    try {
      return await store.recordCall(row);
    } catch (error) {
      log("warn", "could not record an LLM call", {
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    }
  }

  /** One chat completion with retries on 429/5xx/timeouts; every attempt runs inside the endpoint's limits. */
  async function send(
    endpoint: EndpointConfig,
    apiKey: string | undefined,
    params: ChatCompletionCreateParamsNonStreaming,
    tally: Tally,
    signal: AbortSignal | undefined,
    lane: string,
  ): Promise<ChatCompletion> {
    const limiter = options.limiterFor?.(endpoint) ?? getEndpointLimiter(endpoint, options.limits);
    const client = createOpenAiClient(endpoint, apiKey);
    const messages = params.messages as LlmMessage[];
    const estimate =
      estimatePromptTokens(messages) + (params.max_tokens ?? params.max_completion_tokens ?? 0);
    for (let attempt = 1; ; attempt += 1) {
      tally.attempts += 1;
      let delay: number | undefined;
      const classify = (raw: unknown) =>
        signal?.aborted
          ? new LlmError("cancelled", `The call to ${endpoint.baseUrl} was cancelled`)
          : toLlmError(raw, { endpoint, apiKey, usedJsonSchema: Boolean(params.response_format) });
      try {
        const completion = await limiter.run(
          async () => {
            try {
              const completion = await client.chat.completions.create(params, { signal });
              throwIfErrorInBody(completion, endpoint);
              return completion;
            } catch (raw) {
              const error = classify(raw);
              if (error.kind === "rate_limited" && error.retryable) {
                // Cool down inside the slot, before the queue starts the next waiting call.
                delay = retryDelayMs(error, attempt, retry);
                limiter.coolDown(delay);
              }
              throw error;
            }
          },
          estimate,
          signal,
          lane,
        );
        const promptTokens = completion.usage?.prompt_tokens ?? estimatePromptTokens(messages);
        const completionTokens =
          completion.usage?.completion_tokens ?? Math.ceil(textOf(completion).length / 4);
        tally.promptTokens += promptTokens;
        tally.completionTokens += completionTokens;
        tally.reasoningTokens += completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
        limiter.recordTokenCorrection(promptTokens + completionTokens - estimate);
        return completion;
      } catch (raw) {
        const error = classify(raw);
        if (!error.retryable || attempt >= retry.maxAttempts) throw error;
        delay ??= retryDelayMs(error, attempt, retry);
        log("warn", "LLM call failed, retrying", {
          kind: error.kind,
          status: error.status,
          attempt,
          delayMs: delay,
          model: endpoint.model,
        });
        await sleep(delay, signal);
      }
    }
  }

  async function produce(
    endpoint: EndpointConfig,
    request: LlmRequest<unknown>,
    schema: PreparedSchema | null,
    fingerprint: string,
    tally: Tally,
    signal: AbortSignal | undefined,
    lane: string,
  ): Promise<Outcome> {
    const cached = await store.getCached(fingerprint).catch((error: unknown) => {
      log("warn", "LLM cache lookup failed", {
        error: error instanceof Error ? error.message : String(error),
      });
      return null;
    });
    if (cached) {
      if (!schema) return { value: cached.content, text: cached.content, fromCache: true };
      const parsed = parseStructuredText(cached.content, request.schema!, schema);
      if (parsed.ok) return { value: parsed.value, text: cached.content, fromCache: true };
    }

    const apiKey = resolveApiKey(endpoint);
    const schemaSimplifiable =
      schema !== null && JSON.stringify(schema.simplified) !== JSON.stringify(schema.strict);
    const paramsFor = (adaptations: EndpointAdaptations, repair?: { badText: string; problem: string }) => {
      const fallback = schema ? structuredFallbackOf(adaptations) : null;
      const jsonSchemaMode =
        schema !== null && endpoint.structuredOutputMode === "json_schema" && fallback !== "json_in_text";
      // The simplified schema loses value constraints (ranges, lengths): the prompt states the full schema.
      const messages =
        schema && (!jsonSchemaMode || fallback === "simplified_schema")
          ? withJsonInTextInstruction(request.messages, schema.strict)
          : request.messages;
      const sentSchema = fallback === "simplified_schema" ? schema?.simplified : schema?.strict;
      return buildChatParams(
        endpoint,
        {
          messages: repair ? withRepairRequest(messages, repair.badText, repair.problem) : messages,
          temperature: request.temperature ?? endpoint.temperature ?? null,
          maxTokens: request.maxTokens ?? endpoint.maxTokens,
          seed: request.seed ?? null,
          jsonSchema:
            jsonSchemaMode && sentSchema ? { name: schemaNameFor(request), schema: sentSchema } : undefined,
        },
        adaptations,
      );
    };
    /** Sends the request; a 400 naming something adaptable is adapted to, remembered and retried. */
    const sendAdapting = async (repair?: { badText: string; problem: string }) => {
      for (let round = 0; ; round += 1) {
        const params = paramsFor(await adaptationsFor(endpoint), repair);
        try {
          return await send(endpoint, apiKey, params, tally, signal, lane);
        } catch (error) {
          if (!(error instanceof LlmError) || round >= MAX_ADAPTATIONS) throw error;
          const known = await adaptationsFor(endpoint);
          const next = adaptationFor({
            status: error.status,
            server: error.server,
            params,
            adaptations: known,
            schemaSimplifiable,
          });
          if (!next) throw error;
          await learn(endpoint, next);
          // Nothing would change (the refusal stands even adapted): fail with the server's message.
          if (JSON.stringify(paramsFor(await adaptationsFor(endpoint), repair)) === JSON.stringify(params))
            throw error;
        }
      }
    };

    const first = await sendAdapting();
    let text = textOf(first);
    let value: unknown = text;
    if (schema) {
      let parsed = parseStructuredText(text, request.schema!, schema);
      if (!parsed.ok) {
        const problem = describeProblem(parsed.problem, first, request, endpoint);
        log("warn", "LLM answer did not match its schema, asking once for a repair", {
          promptName: request.promptName,
          problem,
        });
        const repaired = await sendAdapting({ badText: text, problem });
        text = textOf(repaired);
        parsed = parseStructuredText(text, request.schema!, schema);
        if (!parsed.ok) {
          const finalProblem = describeProblem(parsed.problem, repaired, request, endpoint);
          throw new LlmError(
            "malformed",
            `${endpoint.model} returned unusable output for ${request.promptName} twice: ${finalProblem}`,
            {
              rawText: text,
            },
          );
        }
      }
      value = parsed.value;
    }
    await store
      .putCached({
        fingerprint,
        model: endpoint.model,
        promptVersion: request.promptVersion,
        content: text,
        promptTokens: tally.promptTokens,
        completionTokens: tally.completionTokens,
      })
      .catch((error: unknown) => {
        log("warn", "could not store an LLM answer in the cache", {
          error: error instanceof Error ? error.message : String(error),
        });
      });
    return { value, text, fromCache: false };
  }

  async function complete(
    endpoint: EndpointConfig,
    request: LlmRequest<unknown>,
    context: LlmContext = {},
  ): Promise<LlmResult<unknown>> {
    const startedAt = Date.now();
    const schema = prepared(request.schema);
    const fingerprint = computeFingerprint({
      baseUrl: endpoint.baseUrl,
      model: endpoint.model,
      messages: request.messages,
      schema: schema?.strict ?? null,
      temperature: request.temperature ?? endpoint.temperature ?? null,
      maxTokens: request.maxTokens ?? endpoint.maxTokens,
      seed: request.seed ?? null,
      promptVersion: request.promptVersion,
      structuredOutputMode: endpoint.structuredOutputMode,
    });
    const baseRow = {
      projectId: context.projectId ?? null,
      runId: context.runId ?? null,
      evaluationId: context.evaluationId ?? null,
      fingerprint,
      role: endpoint.role,
      baseUrl: endpoint.baseUrl,
      model: endpoint.model,
      promptName: request.promptName,
      promptVersion: request.promptVersion,
    };
    const finish = async (status: LlmCallStatus, tally: Tally, error: string | null) => {
      const costUsd = computeCostUsd(endpoint, tally.promptTokens, tally.completionTokens);
      const latencyMs = Date.now() - startedAt;
      const callId = await record({ ...baseRow, ...tally, latencyMs, costUsd, status, error });
      return { costUsd, latencyMs, callId };
    };
    const noCost: Tally = { attempts: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0 };

    const existing = inFlight.get(fingerprint);
    if (existing) {
      // Someone in this process is already producing this exact answer: wait for it instead of paying twice.
      let outcome: Outcome;
      try {
        outcome = await untilAborted(existing, context.signal);
      } catch (error) {
        const llmError = toLlmError(error, { endpoint });
        if (llmError.kind === "cancelled" && !context.signal?.aborted)
          return complete(endpoint, request, context);
        await finish("error", noCost, llmError.message);
        throw llmError;
      }
      const { costUsd, latencyMs, callId } = await finish("cache_hit", noCost, null);
      return {
        value: outcome.value,
        text: outcome.text,
        promptTokens: 0,
        completionTokens: 0,
        reasoningTokens: 0,
        latencyMs,
        costUsd,
        cached: true,
        callId,
        fingerprint,
      };
    }

    const tally: Tally = { attempts: 0, promptTokens: 0, completionTokens: 0, reasoningTokens: 0 };
    // Waiting calls take turns by run or evaluation, so one big run cannot starve the others.
    const lane = context.runId
      ? `run:${context.runId}`
      : context.evaluationId
        ? `eval:${context.evaluationId}`
        : "";
    const producing = produce(endpoint, request, schema, fingerprint, tally, context.signal, lane);
    inFlight.set(fingerprint, producing);
    const forget = () => {
      if (inFlight.get(fingerprint) === producing) inFlight.delete(fingerprint);
    };
    producing.then(forget, forget);
    let outcome: Outcome;
    try {
      outcome = await producing;
    } catch (error) {
      const llmError = toLlmError(error, { endpoint });
      await finish("error", tally, llmError.message);
      throw llmError;
    }
    const status = outcome.fromCache ? "cache_hit" : "ok";
    const { costUsd, latencyMs, callId } = await finish(status, tally, null);
    return {
      value: outcome.value,
      text: outcome.text,
      promptTokens: tally.promptTokens,
      completionTokens: tally.completionTokens,
      reasoningTokens: tally.reasoningTokens,
      latencyMs,
      costUsd,
      cached: outcome.fromCache,
      callId,
      fingerprint,
    };
  }

  return {
    complete: complete as LlmGateway["complete"],
    adaptationsFor,
  };
}

function memoryAdaptationStore(): AdaptationStore {
  const saved = new Map<string, EndpointAdaptations>();
  return {
    load: async (key) => saved.get(`${key.baseUrl}#${key.model}`) ?? noAdaptations,
    save: async (key, adaptations) => {
      saved.set(`${key.baseUrl}#${key.model}`, adaptations);
    },
  };
}

/** OpenRouter reports an upstream failure after streaming began as HTTP 200 with `error` and no choices. */
function throwIfErrorInBody(completion: ChatCompletion, endpoint: EndpointConfig): void {
  if (Array.isArray(completion.choices) && completion.choices.length > 0) return;
  const body = completion as unknown as { error?: unknown };
  const server = parseServerError(body.error !== undefined ? { error: body.error } : null);
  throw new LlmError(
    "server",
    `${endpoint.baseUrl} answered 200 without a choice${server ? ` (server said: ${server.message.slice(0, 300)})` : ""}`,
    { retryable: true, server },
  );
}

function textOf(completion: ChatCompletion): string {
  const message = completion.choices[0]?.message;
  return message?.content ?? message?.refusal ?? "";
}

/** Adds the likely cause when the answer was cut off, since a repair with the same limit would be cut off too. */
function describeProblem(
  problem: string,
  completion: ChatCompletion,
  request: LlmRequest<unknown>,
  endpoint: EndpointConfig,
): string {
  if (completion.choices[0]?.finish_reason !== "length") return problem;
  const limit = request.maxTokens ?? endpoint.maxTokens;
  const reasoning = completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  const spent = reasoning > 0 ? `, ${reasoning} of them spent reasoning` : "";
  const advice = reasoning > 0 ? "raise max tokens or lower the reasoning effort" : "raise max tokens";
  return `${problem} (the answer was cut off at the endpoint's ${limit} max tokens${spent}: ${advice})`;
}

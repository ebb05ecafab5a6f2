// The OpenAI SDK set up for one endpoint (our own retries only, the endpoint's timeout, its key), and the request
// parameters for it: token limit and temperature by model family and by what the server was seen to accept.
import OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { readApiKey } from "@/lib/env";
import { applyAdaptations, noAdaptations, type EndpointAdaptations } from "@/lib/llm/adaptations";
import { rememberRawBody } from "@/lib/llm/error-body";
import { LlmError } from "@/lib/llm/errors";
import { isReasoningModel } from "@/lib/llm/model-family";
import type { JsonSchema } from "@/lib/llm/structured-output";
import type { EndpointConfig, LlmMessage } from "@/lib/llm/types";

/** Keeps the whole error body: the SDK keeps only body.error, which loses {"object":"error","message":…}. */
class OpenAiClient extends OpenAI {
  protected override makeStatusError(
    status: number,
    error: object,
    message: string | undefined,
    headers: Headers,
  ) {
    const apiError = super.makeStatusError(status, error, message, headers);
    rememberRawBody(apiError, error ?? message);
    return apiError;
  }
}

/** The endpoint's key from its environment variable; a named but unset variable is an auth failure, not a 401 later. */
export function resolveApiKey(endpoint: Pick<EndpointConfig, "apiKeyEnv">): string | undefined {
  if (!endpoint.apiKeyEnv) return undefined;
  let key: string | undefined;
  try {
    key = readApiKey(endpoint.apiKeyEnv);
  } catch (error) {
    throw new LlmError("auth", error instanceof Error ? error.message : "Invalid API key variable name");
  }
  if (!key) {
    throw new LlmError(
      "auth",
      `The environment variable ${endpoint.apiKeyEnv} is not set: export the endpoint's API key in it and restart`,
    );
  }
  return key;
}

export function createOpenAiClient(
  endpoint: Pick<EndpointConfig, "baseUrl" | "timeoutMs">,
  apiKey: string | undefined,
): OpenAI {
  return new OpenAiClient({
    baseURL: endpoint.baseUrl,
    // The SDK insists on a key; local servers need none, so send no Authorization header at all then.
    apiKey: apiKey ?? "unused",
    defaultHeaders: apiKey ? undefined : { Authorization: null },
    maxRetries: 0,
    timeout: endpoint.timeoutMs,
  });
}

export interface ChatParamsInput {
  messages: LlmMessage[];
  temperature: number | null;
  maxTokens: number;
  seed: number | null;
  /** Set in json_schema mode. */
  jsonSchema?: { name: string; schema: JsonSchema };
}

export type ParamsEndpoint = Pick<EndpointConfig, "model"> &
  Partial<Pick<EndpointConfig, "tokenLimitParam" | "reasoningEffort">>;

/** The token-limit parameter before the server has said anything: the setting, else the model family's. */
export function initialTokenLimitParam(endpoint: ParamsEndpoint): "max_tokens" | "max_completion_tokens" {
  const setting = endpoint.tokenLimitParam ?? "auto";
  if (setting !== "auto") return setting;
  return isReasoningModel(endpoint.model) ? "max_completion_tokens" : "max_tokens";
}

/**
 * The request as this endpoint wants it. Reasoning models accept only their default temperature (1), so another
 * temperature is left out rather than sent to be refused; whatever the server refused before is adapted.
 */
export function buildChatParams(
  endpoint: ParamsEndpoint,
  input: ChatParamsInput,
  adaptations: EndpointAdaptations = noAdaptations,
): ChatCompletionCreateParamsNonStreaming {
  const params: ChatCompletionCreateParamsNonStreaming = {
    model: endpoint.model,
    messages: input.messages.map((message) => ({ role: message.role, content: message.content })),
  };
  params[initialTokenLimitParam(endpoint)] = input.maxTokens;
  const reasoning = isReasoningModel(endpoint.model);
  if (input.temperature !== null && !(reasoning && input.temperature !== 1))
    params.temperature = input.temperature;
  if (input.seed !== null) params.seed = input.seed;
  if (endpoint.reasoningEffort) params.reasoning_effort = endpoint.reasoningEffort;
  if (input.jsonSchema) {
    params.response_format = {
      type: "json_schema",
      json_schema: { name: input.jsonSchema.name, strict: true, schema: input.jsonSchema.schema },
    };
  }
  return applyAdaptations(params, adaptations);
}

/** Rough token count before the call (characters / 4), for the tokens-per-minute bucket. */
export function estimatePromptTokens(messages: LlmMessage[]): number {
  return Math.ceil(messages.reduce((sum, message) => sum + message.content.length, 0) / 4);
}

// The OpenAI SDK set up for one endpoint: our own retries only (maxRetries 0), the endpoint's timeout, its key.
import OpenAI from "openai";
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import { readApiKey } from "@/lib/env";
import { LlmError } from "@/lib/llm/errors";
import type { JsonSchema } from "@/lib/llm/structured-output";
import type { EndpointConfig, LlmMessage } from "@/lib/llm/types";

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
  return new OpenAI({
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

/** OpenAI's own API wants max_completion_tokens (newer models reject max_tokens); other servers know max_tokens. */
function usesMaxCompletionTokens(baseUrl: string): boolean {
  try {
    return new URL(baseUrl).hostname === "api.openai.com";
  } catch {
    return false;
  }
}

export function buildChatParams(
  endpoint: Pick<EndpointConfig, "baseUrl" | "model">,
  input: ChatParamsInput,
): ChatCompletionCreateParamsNonStreaming {
  const params: ChatCompletionCreateParamsNonStreaming = {
    model: endpoint.model,
    messages: input.messages.map((message) => ({ role: message.role, content: message.content })),
  };
  if (usesMaxCompletionTokens(endpoint.baseUrl)) params.max_completion_tokens = input.maxTokens;
  else params.max_tokens = input.maxTokens;
  if (input.temperature !== null) params.temperature = input.temperature;
  if (input.seed !== null) params.seed = input.seed;
  if (input.jsonSchema) {
    params.response_format = {
      type: "json_schema",
      json_schema: { name: input.jsonSchema.name, strict: true, schema: input.jsonSchema.schema },
    };
  }
  return params;
}

/** Rough token count before the call (characters / 4), for the tokens-per-minute bucket. */
export function estimatePromptTokens(messages: LlmMessage[]): number {
  return Math.ceil(messages.reduce((sum, message) => sum + message.content.length, 0) / 4);
}

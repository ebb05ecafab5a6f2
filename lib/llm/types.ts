// Shapes shared by the gateway, its stores and its callers. Mirrors the Endpoint model in prisma/schema.prisma.
import type { ZodType } from "zod";

export type EndpointRole = "strong" | "target" | "judge";
export type StructuredOutputMode = "json_schema" | "json_in_text";
/** "auto": chosen by model family (reasoning models take max_completion_tokens), then by what the server accepts. */
export type TokenLimitParam = "auto" | "max_tokens" | "max_completion_tokens";
export type ReasoningEffort = "minimal" | "low" | "medium" | "high";

export interface EndpointConfig {
  role: EndpointRole;
  /** OpenAI-compatible base URL, usually ending in /v1. */
  baseUrl: string;
  model: string;
  /** Name of the environment variable holding the API key; the key itself is never stored. */
  apiKeyEnv?: string | null;
  maxConcurrency: number;
  requestsPerMinute?: number | null;
  tokensPerMinute?: number | null;
  temperature?: number | null;
  maxTokens: number;
  priceInputPerMTok: number;
  priceOutputPerMTok: number;
  structuredOutputMode: StructuredOutputMode;
  timeoutMs: number;
  /** Absent means "auto". */
  tokenLimitParam?: TokenLimitParam;
  /** Sent as reasoning_effort when set (OpenAI reasoning models); absent or null sends none. */
  reasoningEffort?: ReasoningEffort | null;
}

export interface LlmMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface LlmRequest<T = string> {
  promptName: string;
  promptVersion: string;
  messages: LlmMessage[];
  /** Asks for structured output validated with this schema; without it the answer is plain text. */
  schema?: ZodType<T>;
  schemaName?: string;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
}

export interface LlmContext {
  projectId?: number | null;
  runId?: number | null;
  evaluationId?: number | null;
  signal?: AbortSignal;
}

export interface LlmResult<T = string> {
  value: T;
  text: string;
  promptTokens: number;
  /** All output tokens, reasoning included (they are billed as output). */
  completionTokens: number;
  /** The part of completionTokens a reasoning model spent thinking (usage.completion_tokens_details). */
  reasoningTokens: number;
  latencyMs: number;
  costUsd: number;
  cached: boolean;
  callId: number | null;
  fingerprint: string;
}

export interface LlmCacheEntryData {
  fingerprint: string;
  model: string;
  promptVersion: string;
  content: string;
  promptTokens: number;
  completionTokens: number;
}

export type LlmCallStatus = "ok" | "cache_hit" | "error";

export interface LlmCallRow {
  projectId: number | null;
  runId: number | null;
  evaluationId: number | null;
  fingerprint: string;
  role: EndpointRole;
  baseUrl: string;
  model: string;
  promptName: string;
  promptVersion: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  costUsd: number;
  attempts: number;
  status: LlmCallStatus;
  error: string | null;
}

/** Where the gateway keeps its cache and its call log; the PostgreSQL store lives in lib/db/llm-store-batched.ts. */
export interface LlmStore {
  getCached(fingerprint: string): Promise<LlmCacheEntryData | null>;
  /** Must not fail when the fingerprint is already stored (two processes may race). */
  putCached(entry: LlmCacheEntryData): Promise<void>;
  /** Returns the new row's id. */
  recordCall(row: LlmCallRow): Promise<number>;
}

export type LlmLogLevel = "debug" | "info" | "warn" | "error";
export type LlmLog = (level: LlmLogLevel, message: string, fields?: Record<string, unknown>) => void;

// The cache key: sha256 over a canonical JSON of everything that shapes the answer (never the API key).
import { createHash } from "node:crypto";
import type { LlmMessage, StructuredOutputMode } from "@/lib/llm/types";

/** JSON with object keys sorted at every level, so equal values always serialise the same way. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, inner]) => inner !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, sortKeys(inner)]));
}

export interface FingerprintInput {
  baseUrl: string;
  model: string;
  messages: LlmMessage[];
  schema: unknown;
  temperature: number | null;
  maxTokens: number;
  seed: number | null;
  promptVersion: string;
  structuredOutputMode: StructuredOutputMode;
}

export function computeFingerprint(input: FingerprintInput): string {
  const normalized = { ...input, baseUrl: normalizeBaseUrl(input.baseUrl) };
  return createHash("sha256").update(canonicalJson(normalized)).digest("hex");
}

/** "http://host/v1/" and "http://host/v1" are the same endpoint. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/, "");
}

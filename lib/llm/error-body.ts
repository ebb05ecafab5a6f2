// The server's own error from any body shape OpenAI-compatible servers send, so a user reads what the server
// said, and the gateway can see which parameter it refused. Shapes (see docs in the tests):
//   OpenAI, Azure, current vLLM, LiteLLM proxy, llama.cpp: {"error":{"message","type","param","code"}}
//   vLLM 0.8.x:                                            {"object":"error","message","type","param","code"}
//   Ollama native:                                         {"error":"..."}
//   OpenRouter:                                            {"error":{"code":int,"message","metadata":{"raw",…}}}
import { APIError } from "openai";

export interface ServerError {
  message: string;
  /** The parameter the server names (OpenAI's `param`), when it names one. */
  param: string | null;
  /** OpenAI's string codes ("unsupported_parameter") or a number (vLLM, OpenRouter, llama.cpp). */
  code: string | null;
  type: string | null;
}

// The OpenAI SDK keeps only body.error; the whole body is kept here by OpenAiClient.makeStatusError.
const rawBodies = new WeakMap<object, unknown>();

export function rememberRawBody(error: object, body: unknown): void {
  if (body !== undefined && body !== null) rawBodies.set(error, body);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asText(value: unknown): string | null {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (typeof value === "number") return String(value);
  return null;
}

/** OpenRouter's metadata.raw is the upstream provider's own body: its message is the useful part. */
function upstreamMessage(metadata: unknown): string | null {
  if (!isRecord(metadata)) return null;
  const raw = metadata.raw;
  const provider = asText(metadata.provider_name);
  let text: string | null = null;
  if (typeof raw === "string") {
    try {
      text = parseServerError(JSON.parse(raw) as unknown)?.message ?? raw;
    } catch {
      text = raw;
    }
  } else if (isRecord(raw)) text = parseServerError(raw)?.message ?? null;
  if (!text) return null;
  return provider ? `${provider}: ${text}` : text;
}

/** Reads a parsed error body of any known shape; null when it carries no message. */
export function parseServerError(body: unknown): ServerError | null {
  if (typeof body === "string") {
    const text = body.trim();
    return text ? { message: text, param: null, code: null, type: null } : null;
  }
  if (!isRecord(body)) return null;
  const inner = body.error;
  if (typeof inner === "string") return { message: inner, param: null, code: null, type: null };
  const source = isRecord(inner) ? inner : body;
  let message = asText(source.message) ?? asText(source.detail) ?? asText(body.message);
  if (!message) return null;
  const upstream = upstreamMessage(source.metadata);
  if (upstream && !message.includes(upstream)) message = `${message}: ${upstream}`;
  return {
    message,
    param: asText(source.param),
    code: asText(source.code),
    type: asText(source.type),
  };
}

/** The server's error from what the SDK threw (the whole body when the client kept it). */
export function serverErrorOf(error: unknown): ServerError | null {
  if (!(error instanceof APIError)) return null;
  const raw = rawBodies.get(error);
  return parseServerError(raw !== undefined ? raw : error.error);
}

// Typed LLM failures with user-safe messages that say what failed and how to fix it. API keys never appear.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from "openai";
import { serverErrorOf, type ServerError } from "@/lib/llm/error-body";
import type { EndpointConfig } from "@/lib/llm/types";

export type LlmErrorKind =
  | "unreachable"
  | "auth"
  | "model_not_found"
  | "rate_limited"
  | "server"
  | "timeout"
  | "malformed"
  | "bad_request"
  | "cancelled";

const retryableKinds = new Set<LlmErrorKind>(["rate_limited", "server", "timeout"]);
const fatalKinds = new Set<LlmErrorKind>(["unreachable", "auth", "model_not_found"]);

export interface LlmErrorOptions {
  status?: number;
  retryable?: boolean;
  fatalForEndpoint?: boolean;
  rawText?: string;
  /** From Retry-After / retry-after-ms on a 429 or 503. */
  retryAfterMs?: number;
  /** The server's own error (message, param, code) from whatever body shape it sent. */
  server?: ServerError | null;
}

export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly status?: number;
  readonly retryable: boolean;
  /** The endpoint itself is wrong (URL, key, model): every further call would fail the same way. */
  readonly fatalForEndpoint: boolean;
  /** The model's raw answer, for "malformed" errors. */
  readonly rawText?: string;
  readonly retryAfterMs?: number;
  readonly server: ServerError | null;

  constructor(kind: LlmErrorKind, message: string, options: LlmErrorOptions = {}) {
    super(message);
    this.name = "LlmError";
    this.kind = kind;
    this.status = options.status;
    this.retryable = options.retryable ?? retryableKinds.has(kind);
    this.fatalForEndpoint = options.fatalForEndpoint ?? fatalKinds.has(kind);
    this.rawText = options.rawText;
    this.retryAfterMs = options.retryAfterMs;
    this.server = options.server ?? null;
  }
}

export function isLlmError(error: unknown): error is LlmError {
  return error instanceof LlmError;
}

const keyLikePattern = /\b(sk|pk|key|tok)-[A-Za-z0-9_-]{8,}/g;

/** Removes the key (and anything shaped like one) from text that came from a server. */
export function redactSecrets(text: string, apiKey?: string): string {
  let result = text;
  if (apiKey && apiKey.length >= 4) result = result.split(apiKey).join("***");
  return result.replace(keyLikePattern, "$1-***");
}

/** Milliseconds to wait from Retry-After (seconds or HTTP date) or retry-after-ms; undefined when absent. */
export function parseRetryAfterMs(headers: Headers | undefined | null, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const millis = headers.get("retry-after-ms");
  if (millis !== null && millis.trim() !== "") {
    const value = Number(millis);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const retryAfter = headers.get("retry-after");
  if (retryAfter === null || retryAfter.trim() === "") return undefined;
  const seconds = Number(retryAfter);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(retryAfter);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth += 1) {
    const record = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof record.code === "string") codes.push(record.code);
    if (Array.isArray(record.errors)) {
      for (const inner of record.errors) codes.push(...errorCodes(inner));
    }
    current = record.cause;
  }
  return codes;
}

function errorMessages(error: unknown): string[] {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth += 1) {
    messages.push(current.message);
    current = current.cause;
  }
  return messages;
}

function serverDetail(error: APIError, apiKey?: string): string {
  const message = serverErrorOf(error)?.message ?? "";
  const trimmed = redactSecrets(message, apiKey).slice(0, 300);
  return trimmed ? ` (server said: ${trimmed})` : "";
}

function describeKey(endpoint: Pick<EndpointConfig, "apiKeyEnv">): string {
  return endpoint.apiKeyEnv
    ? `the key in ${endpoint.apiKeyEnv} was refused: check that it is valid for this server`
    : "the server needs an API key: name the environment variable that holds it in the endpoint settings";
}

const unreachableCodes: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host not found",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ERR_INVALID_URL: "invalid URL",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "self-signed TLS certificate",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "untrusted TLS certificate",
};
const resetCodes = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);
const connectTimeoutCodes = new Set(["UND_ERR_CONNECT_TIMEOUT", "ETIMEDOUT", "UND_ERR_HEADERS_TIMEOUT"]);

function looksLikeModelMissing(error: APIError): boolean {
  const body = serverErrorOf(error);
  if (body?.code === "model_not_found") return true;
  const message = body?.message ?? "";
  return (
    /model/i.test(message) &&
    /(not found|does not exist|not exist|unknown|invalid model|not served|no such)/i.test(message)
  );
}

function looksLikeResponseFormatRejected(error: APIError): boolean {
  const body = serverErrorOf(error);
  const message = body?.message ?? "";
  return (
    body?.param === "response_format" ||
    /response_format|json_schema|structured output|xgrammar|guided/i.test(message)
  );
}

export interface ClassifyContext {
  endpoint: Pick<EndpointConfig, "baseUrl" | "model" | "apiKeyEnv" | "timeoutMs" | "structuredOutputMode">;
  apiKey?: string;
  /** True when the request carried response_format json_schema. */
  usedJsonSchema?: boolean;
}

/** Turns whatever the SDK (or fetch) threw into an LlmError with a message a user can act on. */
export function toLlmError(error: unknown, context: ClassifyContext): LlmError {
  if (error instanceof LlmError) return error;
  const { endpoint, apiKey } = context;
  const url = endpoint.baseUrl;
  if (error instanceof APIUserAbortError)
    return new LlmError("cancelled", `The call to ${url} was cancelled`);
  if (error instanceof APIConnectionTimeoutError) {
    return new LlmError(
      "timeout",
      `${url} did not answer within ${endpoint.timeoutMs} ms: the server is overloaded or the endpoint timeout is too short`,
    );
  }
  if (error instanceof APIConnectionError) {
    const codes = errorCodes(error);
    if (errorMessages(error).includes("bad port")) {
      return new LlmError(
        "unreachable",
        `Cannot reach ${url} (fetch refuses this port): check the base URL or use another port`,
      );
    }
    const unreachable = codes.find((code) => code in unreachableCodes);
    if (unreachable) {
      return new LlmError(
        "unreachable",
        `Cannot reach ${url} (${unreachableCodes[unreachable]}): check the base URL`,
      );
    }
    if (codes.some((code) => resetCodes.has(code))) {
      return new LlmError("server", `The connection to ${url} was reset before it answered`, {
        retryable: true,
      });
    }
    if (codes.some((code) => connectTimeoutCodes.has(code))) {
      return new LlmError("timeout", `Connecting to ${url} timed out: check the base URL and the network`);
    }
    return new LlmError("unreachable", `Cannot reach ${url}: check the base URL`, {
      retryable: true,
      fatalForEndpoint: false,
    });
  }
  if (error instanceof APIError && typeof error.status === "number") {
    const classified = classifyStatusError(error, error.status, context);
    const server = serverErrorOf(error);
    if (!server) return classified;
    return new LlmError(classified.kind, classified.message, {
      status: classified.status,
      retryable: classified.retryable,
      fatalForEndpoint: classified.fatalForEndpoint,
      retryAfterMs: classified.retryAfterMs,
      server: { ...server, message: redactSecrets(server.message, apiKey) },
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  const closedMidAnswer =
    errorCodes(error).some((code) => resetCodes.has(code)) ||
    errorMessages(error).some((text) =>
      /\bterminated\b|other side closed|socket hang up|premature close/i.test(text),
    );
  if (closedMidAnswer) {
    // Headers came, then the connection died: as transient as a 5xx, so retried like one.
    return new LlmError("server", `The connection to ${url} closed in the middle of the answer`, {
      retryable: true,
    });
  }
  return new LlmError(
    "server",
    `Unexpected failure calling ${url}: ${redactSecrets(message, apiKey).slice(0, 300)}`,
    {
      retryable: false,
    },
  );
}

function classifyStatusError(error: APIError, status: number, context: ClassifyContext): LlmError {
  const { endpoint, apiKey } = context;
  const url = endpoint.baseUrl;
  const detail = serverDetail(error, apiKey);
  if (status === 401 || status === 403) {
    return new LlmError("auth", `${status} from ${url}: ${describeKey(endpoint)}`, { status });
  }
  if (status === 404 || looksLikeModelMissing(error)) {
    const hint = looksLikeModelMissing(error)
      ? "check the model name"
      : "check the model name and that the base URL ends in /v1";
    return new LlmError(
      "model_not_found",
      `Model "${endpoint.model}" is not served by ${url}: ${hint}${detail}`,
      {
        status,
      },
    );
  }
  if (status === 429) {
    const body = error.error as { code?: unknown; type?: unknown } | undefined;
    if (body?.code === "insufficient_quota" || body?.type === "insufficient_quota") {
      return new LlmError(
        "rate_limited",
        `429 from ${url}: the account's quota is used up: check its billing`,
        {
          status,
          retryable: false,
          fatalForEndpoint: true,
        },
      );
    }
    return new LlmError(
      "rate_limited",
      `${url} is rate limiting requests (429): lower the endpoint's concurrency or per-minute limits`,
      {
        status,
        retryAfterMs: parseRetryAfterMs(error.headers),
      },
    );
  }
  if (status === 408) return new LlmError("timeout", `${url} timed out the request (408)`, { status });
  if (status >= 500) {
    return new LlmError("server", `${url} failed with ${status}${detail}`, {
      status,
      retryAfterMs: parseRetryAfterMs(error.headers),
    });
  }
  if (
    context.usedJsonSchema &&
    (status === 400 || status === 422) &&
    looksLikeResponseFormatRejected(error)
  ) {
    return new LlmError(
      "bad_request",
      `${url} rejected response_format json_schema${detail}: set the endpoint's structured output mode to json_in_text`,
      { status, fatalForEndpoint: true },
    );
  }
  return new LlmError("bad_request", `${url} rejected the request with ${status}${detail}`, { status });
}

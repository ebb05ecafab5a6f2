import { APIConnectionError, APIError } from "openai";
import { describe, expect, it } from "vitest";
import { LlmError, parseRetryAfterMs, redactSecrets, toLlmError } from "@/lib/llm/errors";

const endpoint = {
  baseUrl: "http://llm.local/v1",
  model: "m",
  apiKeyEnv: "MY_KEY",
  timeoutMs: 1000,
  structuredOutputMode: "json_schema" as const,
};

function apiError(status: number, body: object, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, body, undefined, new Headers(headers));
}

describe("parseRetryAfterMs", () => {
  it("reads seconds, HTTP dates and retry-after-ms (which wins)", () => {
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfterMs(new Headers({ "retry-after": "2" }), now)).toBe(2000);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:05 GMT" }), now)).toBe(
      5000,
    );
    expect(parseRetryAfterMs(new Headers({ "retry-after": "Tue, 31 Dec 2024 00:00:00 GMT" }), now)).toBe(0);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "2", "retry-after-ms": "150" }), now)).toBe(150);
    expect(parseRetryAfterMs(new Headers({ "retry-after": "soon" }), now)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), now)).toBeUndefined();
  });
});

describe("toLlmError", () => {
  it("keeps the server's Retry-After on a 429", () => {
    const error = toLlmError(apiError(429, { error: { message: "slow down" } }, { "retry-after": "3" }), {
      endpoint,
    });
    expect(error).toMatchObject({
      kind: "rate_limited",
      retryable: true,
      fatalForEndpoint: false,
      retryAfterMs: 3000,
    });
  });

  it("treats an exhausted quota as fatal rather than retrying it", () => {
    const error = toLlmError(apiError(429, { error: { message: "quota", code: "insufficient_quota" } }), {
      endpoint,
    });
    expect(error).toMatchObject({ kind: "rate_limited", retryable: false, fatalForEndpoint: true });
  });

  it("says to switch to json_in_text when the server rejects response_format", () => {
    const body = {
      error: { message: "response_format json_schema is not supported", param: "response_format" },
    };
    const error = toLlmError(apiError(400, body), { endpoint, usedJsonSchema: true });
    expect(error).toMatchObject({ kind: "bad_request", fatalForEndpoint: true });
    expect(error.message).toContain("json_in_text");
  });

  it("reads a 400 about an unknown model as model_not_found", () => {
    const error = toLlmError(
      apiError(400, { error: { message: "Invalid model name: foo does not exist" } }),
      { endpoint },
    );
    expect(error).toMatchObject({ kind: "model_not_found", fatalForEndpoint: true });
  });

  it("never repeats the key a server echoed back", () => {
    const key = "sk-live-abcdefghijklmnopqrstuvwxyz";
    const error = toLlmError(apiError(400, { error: { message: `Bad request for key ${key}` } }), {
      endpoint,
      apiKey: key,
    });
    expect(error.message).not.toContain(key);
    expect(error.message).toContain("***");
    expect(redactSecrets("token sk-proj-1234567890abcdef here")).toBe("token sk-*** here");
  });

  it("explains a port that fetch refuses to use", () => {
    const cause = new TypeError("fetch failed", { cause: new Error("bad port") });
    const error = toLlmError(new APIConnectionError({ cause }), { endpoint });
    expect(error).toMatchObject({ kind: "unreachable", fatalForEndpoint: true });
    expect(error.message).toContain("fetch refuses this port");
  });

  it("passes LlmErrors through unchanged", () => {
    const original = new LlmError("malformed", "bad", { rawText: "{" });
    expect(toLlmError(original, { endpoint })).toBe(original);
  });
});

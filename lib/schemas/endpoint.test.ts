import { describe, expect, it } from "vitest";
import { endpointFormDefaults, endpointInputSchema } from "@/lib/schemas/endpoint";
import { fieldErrorsOf, parseInputOrThrow } from "@/lib/schemas/form-errors";
import { AppError } from "@/lib/errors";

const valid = {
  ...endpointFormDefaults,
  role: "target",
  baseUrl: "https://api.example.com/v1",
  model: "gpt-4o-mini",
};

function errorsFor(overrides: Record<string, unknown>) {
  const parsed = endpointInputSchema.safeParse({ ...valid, ...overrides });
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

describe("endpointInputSchema", () => {
  it("turns the form's strings into an endpoint, blanks of optional numbers into null", () => {
    expect(
      endpointInputSchema.parse({ ...valid, baseUrl: " http://127.0.0.1:8787/v1// ", temperature: "0.7" }),
    ).toEqual({
      role: "target",
      baseUrl: "http://127.0.0.1:8787/v1",
      model: "gpt-4o-mini",
      apiKeyEnv: null,
      maxConcurrency: 8,
      requestsPerMinute: null,
      tokensPerMinute: null,
      temperature: 0.7,
      maxTokens: 2048,
      priceInputPerMTok: 0,
      priceOutputPerMTok: 0,
      structuredOutputMode: "json_schema",
      timeoutMs: 120000,
      tokenLimitParam: "auto",
      reasoningEffort: null,
    });
  });

  it("accepts numbers as well as strings (server callers)", () => {
    expect(
      endpointInputSchema.parse({ ...valid, maxConcurrency: 4, requestsPerMinute: null }).maxConcurrency,
    ).toBe(4);
  });

  it("names what is wrong with each field", () => {
    expect(errorsFor({ baseUrl: "" }).baseUrl).toMatch(/Enter the base URL/);
    expect(errorsFor({ baseUrl: "ftp://example.com" }).baseUrl).toMatch(/http:\/\/ or https:\/\//);
    expect(errorsFor({ baseUrl: "localhost:8000" }).baseUrl).toMatch(/http:\/\/ or https:\/\//);
    expect(errorsFor({ model: "  " }).model).toMatch(/Enter the model name/);
    expect(errorsFor({ maxConcurrency: "0" }).maxConcurrency).toBe("Use a number from 1 to 1,024");
    expect(errorsFor({ maxConcurrency: "1025" }).maxConcurrency).toBe("Use a number from 1 to 1,024");
    expect(errorsFor({ maxConcurrency: "2.5" }).maxConcurrency).toMatch(/whole number/);
    expect(errorsFor({ maxConcurrency: "" }).maxConcurrency).toBe("Enter the concurrency");
    expect(errorsFor({ maxTokens: "lots" }).maxTokens).toMatch(/Enter a number/);
    expect(errorsFor({ temperature: "2.5" }).temperature).toBe("Use a number from 0 to 2");
    expect(errorsFor({ priceInputPerMTok: "-1" }).priceInputPerMTok).toMatch(/from 0/);
    expect(errorsFor({ requestsPerMinute: "0" }).requestsPerMinute).toMatch(/from 1/);
    expect(errorsFor({ structuredOutputMode: "xml" }).structuredOutputMode).toMatch(
      /json_schema or json_in_text/,
    );
    expect(errorsFor({ timeoutMs: "10" }).timeoutMs).toMatch(/from 1,000/);
  });

  it("takes an env var name for the key, and tells a pasted key apart from a bad name", () => {
    expect(endpointInputSchema.parse({ ...valid, apiKeyEnv: " OPENAI_API_KEY " }).apiKeyEnv).toBe(
      "OPENAI_API_KEY",
    );
    expect(errorsFor({ apiKeyEnv: "sk-proj-abcdef1234567890" }).apiKeyEnv).toMatch(/looks like an API key/);
    expect(errorsFor({ apiKeyEnv: "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8" }).apiKeyEnv).toMatch(
      /looks like an API key/,
    );
    expect(errorsFor({ apiKeyEnv: "1KEY" }).apiKeyEnv).toMatch(/letters, digits and _ only/);
    expect(errorsFor({ apiKeyEnv: "MY-KEY" }).apiKeyEnv).toMatch(/letters, digits and _ only/);
  });
});

describe("parseInputOrThrow", () => {
  it("throws an invalid_input AppError carrying the field errors", () => {
    let caught: unknown;
    try {
      parseInputOrThrow(endpointInputSchema, { ...valid, model: "", maxConcurrency: "0" });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe("invalid_input");
    expect((caught as AppError).details).toEqual({
      fieldErrors: {
        model: "Enter the model name the server knows, e.g. gpt-4o-mini",
        maxConcurrency: "Use a number from 1 to 1,024",
      },
    });
  });
});

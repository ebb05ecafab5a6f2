import { describe, expect, it } from "vitest";
import { UsageError } from "./flag-schemas";
import { parseGenerateFlags, type RawGenerateFlags } from "./generate-options";

const required: RawGenerateFlags = {
  seeds: "seeds.jsonl",
  out: "out.jsonl",
  strongUrl: "http://127.0.0.1:8000/v1",
  strongModel: "big",
  targetUrl: "https://api.example.com/v1",
  targetModel: "small",
};

function problem(flags: RawGenerateFlags): string {
  try {
    parseGenerateFlags(flags, { concurrency: 64 });
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error("expected a usage error");
}

describe("generate flags", () => {
  it("maps the flags to settings, with the defaults", () => {
    const options = parseGenerateFlags(
      {
        ...required,
        targetUrl: "http://127.0.0.1:8000/v1",
        size: "30",
        pool: "20",
        theta: "2.5",
        iterations: "3",
        seed: "7",
        concurrency: "8",
        apiKeyEnv: "MY_API_KEY",
        format: "alpaca",
      },
      { concurrency: 64 },
    );
    expect(options).toMatchObject({
      seedsFile: "seeds.jsonl",
      strong: { url: "http://127.0.0.1:8000/v1", model: "big", apiKeyEnv: "MY_API_KEY" },
      target: { url: "http://127.0.0.1:8000/v1", model: "small", apiKeyEnv: "MY_API_KEY" },
      judge: null,
      settings: { targetDatasetSize: 30, poolSize: 20, gapThreshold: 2.5, maxIterations: 3, randomSeed: 7 },
      concurrency: 8,
      format: "alpaca",
    });
    const defaults = parseGenerateFlags(required, { concurrency: 64 });
    expect(defaults).toMatchObject({
      concurrency: 64,
      format: "chat",
      json: false,
      strong: { apiKeyEnv: null },
      target: { apiKeyEnv: null },
    });
    expect(defaults.settings).toEqual({
      targetDatasetSize: undefined,
      poolSize: undefined,
      gapThreshold: undefined,
      maxIterations: undefined,
      randomSeed: undefined,
    });
  });

  it("refuses out-of-range and malformed numbers with the flag's bounds", () => {
    expect(problem({ ...required, theta: "11" })).toBe('--theta must be a number from 0 to 8.5, got "11"');
    expect(problem({ ...required, size: "2.5" })).toBe(
      '--size must be a whole number from 1 to 100000, got "2.5"',
    );
    expect(problem({ ...required, iterations: "0" })).toMatch(
      /^--iterations must be a whole number from 1 to 10/,
    );
    expect(problem({ ...required, concurrency: "lots" })).toMatch(/^--concurrency must be a whole number/);
  });

  it("checks URLs, the key variable name, the format and the judge pair", () => {
    expect(problem({ ...required, strongUrl: "localhost:8000" })).toMatch(
      /^--strong-url must be an http\(s\) URL/,
    );
    expect(problem({ ...required, apiKeyEnv: "sk-123" })).toMatch(
      /^--api-key-env must be an environment variable name/,
    );
    expect(problem({ ...required, format: "parquet" })).toMatch(
      /^--format must be one of chat, alpaca, sharegpt, preference, preference-sharegpt, chat-parquet, /,
    );
    expect(
      parseGenerateFlags({ ...required, format: "preference-parquet" }, { concurrency: 1 }),
    ).toMatchObject({
      format: "preference-parquet",
      provenance: "lean",
    });
    expect(parseGenerateFlags({ ...required, provenance: false }, { concurrency: 1 }).provenance).toBe(
      "none",
    );
    expect(parseGenerateFlags({ ...required, fullProvenance: true }, { concurrency: 1 }).provenance).toBe(
      "full",
    );
    expect(problem({ ...required, provenance: false, fullProvenance: true })).toMatch(/contradict/);
    expect(problem({ ...required, judgeUrl: "http://127.0.0.1:9000/v1" })).toBe(
      "--judge-url and --judge-model go together: give both or neither",
    );
    const withJudge = parseGenerateFlags(
      { ...required, judgeUrl: "http://127.0.0.1:9000/v1", judgeModel: "referee" },
      { concurrency: 1 },
    );
    expect(withJudge.judge).toEqual({ url: "http://127.0.0.1:9000/v1", model: "referee", apiKeyEnv: null });
  });

  it("gives each role its own key variable, parameters, prices and limits", () => {
    const options = parseGenerateFlags(
      {
        ...required,
        strongKeyEnv: "OPENAI_API_KEY",
        strongTemperature: "1",
        strongMaxTokens: "16000",
        strongTokenParam: "max_completion_tokens",
        strongReasoningEffort: "low",
        strongPriceIn: "1.1",
        strongPriceOut: "4.4",
        strongRpm: "500",
        strongTpm: "200000",
        targetStructured: "json_in_text",
        json: true,
      },
      { concurrency: 4 },
    );
    expect(options.strong).toEqual({
      url: "http://127.0.0.1:8000/v1",
      model: "big",
      apiKeyEnv: "OPENAI_API_KEY",
      temperature: 1,
      maxTokens: 16000,
      tokenLimitParam: "max_completion_tokens",
      reasoningEffort: "low",
      priceInputPerMTok: 1.1,
      priceOutputPerMTok: 4.4,
      requestsPerMinute: 500,
      tokensPerMinute: 200000,
    });
    expect(options.target).toEqual({
      url: "https://api.example.com/v1",
      model: "small",
      apiKeyEnv: null,
      structuredOutputMode: "json_in_text",
    });
    expect(options.json).toBe(true);
  });

  it("never sends one key to two servers, and names bad per-role values", () => {
    expect(problem({ ...required, apiKeyEnv: "MY_API_KEY" })).toMatch(
      /^--api-key-env would send one key to different servers .* give --strong-key-env, --target-key-env instead$/,
    );
    // A role with its own key leaves the shared one to the roles on one server.
    const mixed = parseGenerateFlags(
      { ...required, apiKeyEnv: "MY_API_KEY", targetKeyEnv: "OTHER_API_KEY" },
      { concurrency: 1 },
    );
    expect([mixed.strong.apiKeyEnv, mixed.target.apiKeyEnv]).toEqual(["MY_API_KEY", "OTHER_API_KEY"]);
    expect(problem({ ...required, targetTemperature: "3" })).toBe(
      '--target-temperature must be a number from 0 to 2, got "3"',
    );
    expect(problem({ ...required, strongStructured: "xml" })).toBe(
      "--strong-structured must be one of json_schema, json_in_text",
    );
    expect(problem({ ...required, judgeRpm: "10" })).toBe(
      "--judge-… settings need --judge-url and --judge-model",
    );
  });
});

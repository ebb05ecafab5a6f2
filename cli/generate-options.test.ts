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
      strong: { url: "http://127.0.0.1:8000/v1", model: "big" },
      judge: null,
      apiKeyEnv: "MY_API_KEY",
      settings: { targetDatasetSize: 30, poolSize: 20, gapThreshold: 2.5, maxIterations: 3, randomSeed: 7 },
      concurrency: 8,
      format: "alpaca",
    });
    const defaults = parseGenerateFlags(required, { concurrency: 64 });
    expect(defaults).toMatchObject({ concurrency: 64, format: "chat", apiKeyEnv: null });
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
    expect(problem({ ...required, format: "parquet" })).toBe(
      "--format must be one of chat, alpaca, sharegpt",
    );
    expect(problem({ ...required, judgeUrl: "http://127.0.0.1:9000/v1" })).toBe(
      "--judge-url and --judge-model go together: give both or neither",
    );
    const withJudge = parseGenerateFlags(
      { ...required, judgeUrl: "http://127.0.0.1:9000/v1", judgeModel: "referee" },
      { concurrency: 1 },
    );
    expect(withJudge.judge).toEqual({ url: "http://127.0.0.1:9000/v1", model: "referee" });
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_METHOD_SETTINGS } from "@/lib/codeclm/settings";
import type { EndpointConfig } from "@/lib/llm/types";
import {
  buildRunConfig,
  buildRunEndpoints,
  describeEndpoint,
  endpointFor,
  parseRunConfig,
} from "@/lib/pipeline/run-config";

function endpoint(role: EndpointConfig["role"], model: string): EndpointConfig {
  return {
    role,
    baseUrl: "http://127.0.0.1:9/v1",
    model,
    apiKeyEnv: "MY_KEY",
    maxConcurrency: 8,
    requestsPerMinute: null,
    tokensPerMinute: null,
    temperature: null,
    maxTokens: 2048,
    priceInputPerMTok: 1,
    priceOutputPerMTok: 2,
    structuredOutputMode: "json_schema",
    timeoutMs: 1000,
  };
}

describe("run config", () => {
  it("needs a strong and a target endpoint", () => {
    expect(() => buildRunEndpoints({ strong: endpoint("strong", "s") })).toThrow(
      "Set the target endpoint before starting a run",
    );
    expect(() => buildRunEndpoints({})).toThrow("Set the strong and target endpoints");
  });

  it("judges with the strong endpoint unless a judge is set, keeping the judge role in the call log", () => {
    const endpoints = buildRunEndpoints({
      strong: endpoint("strong", "big"),
      target: endpoint("target", "small"),
    });
    const config = buildRunConfig({
      settings: DEFAULT_METHOD_SETTINGS,
      taskDescription: "",
      endpoints,
      poolMode: "encode",
    });
    expect(endpointFor(config, "judge")).toMatchObject({ role: "judge", model: "big" });
    expect(describeEndpoint(config, "judge")).toContain("the strong endpoint");
    const withJudge = buildRunConfig({
      settings: DEFAULT_METHOD_SETTINGS,
      taskDescription: "",
      endpoints: buildRunEndpoints({
        strong: endpoint("strong", "big"),
        target: endpoint("target", "small"),
        judge: endpoint("judge", "referee"),
      }),
      poolMode: "encode",
    });
    expect(endpointFor(withJudge, "judge").model).toBe("referee");
    expect(describeEndpoint(withJudge, "target")).toBe(
      "the target endpoint (small at http://127.0.0.1:9/v1)",
    );
  });

  it("applies per-run overrides, validates them and survives a JSON round trip", () => {
    const endpoints = buildRunEndpoints({
      strong: endpoint("strong", "big"),
      target: endpoint("target", "small"),
    });
    const config = buildRunConfig({
      settings: DEFAULT_METHOD_SETTINGS,
      taskDescription: "support emails",
      endpoints,
      poolMode: "existing",
      options: { settings: { targetDatasetSize: 30, gapThreshold: 2.5 }, maxDecodeRounds: 2 },
    });
    expect(config.settings).toMatchObject({ targetDatasetSize: 30, gapThreshold: 2.5, poolSize: 200 });
    expect(config.maxDecodeRounds).toBe(2);
    expect(parseRunConfig(JSON.parse(JSON.stringify(config)))).toEqual(config);
    expect(() =>
      buildRunConfig({
        settings: DEFAULT_METHOD_SETTINGS,
        taskDescription: "",
        endpoints,
        poolMode: "encode",
        options: { settings: { maxIterations: 0 } },
      }),
    ).toThrow();
  });
});

// Endpoint settings pointing at a fake server, for tests. Each call gets its own model name by default, so the
// process-wide per-endpoint limits (and a 429 cool-down) never leak from one test into another.
import type { EndpointConfig } from "@/lib/llm/types";

let counter = 0;

export function fakeEndpoint(baseUrl: string, overrides: Partial<EndpointConfig> = {}): EndpointConfig {
  counter += 1;
  return {
    role: "target",
    baseUrl,
    model: `fake-target-${counter}`,
    apiKeyEnv: null,
    maxConcurrency: 8,
    requestsPerMinute: null,
    tokensPerMinute: null,
    temperature: null,
    maxTokens: 512,
    priceInputPerMTok: 0,
    priceOutputPerMTok: 0,
    structuredOutputMode: "json_schema",
    timeoutMs: 5_000,
    ...overrides,
  };
}

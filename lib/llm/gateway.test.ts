import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { LlmError } from "@/lib/llm/errors";
import { createLlmGateway } from "@/lib/llm/gateway";
import { createMemoryLlmStore, type MemoryLlmStore } from "@/lib/llm/memory-store";
import { jsonInTextLead } from "@/lib/llm/structured-output";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";

const skillsSchema = z.object({
  useCase: z.string().min(1),
  skills: z.array(z.string()).min(2).max(4),
  difficulty: z.number().int().min(1).max(5),
  note: z.string().optional(),
});

const messages = [
  { role: "system" as const, content: "You extract metadata from instructions." },
  { role: "user" as const, content: "Instruction: write a marketing plan for a vegan bakery" },
];

function request(extra: Partial<{ promptVersion: string; seed: number }> = {}) {
  return { promptName: "encode", promptVersion: "v1", messages, schema: skillsSchema, ...extra };
}

let server: FakeLlmServer;
let store: MemoryLlmStore;

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.setOptions({ latencyMs: 0, failNext: [], rateMalformed: 0 });
  server.resetStats();
  store = createMemoryLlmStore();
});

describe("structured output", () => {
  it("sends a strict json_schema response_format and returns a zod-validated value", async () => {
    const gateway = createLlmGateway({ store });
    const result = await gateway.complete(fakeEndpoint(server.url), request(), { projectId: 7, runId: 3 });

    expect(skillsSchema.parse(result.value)).toEqual(result.value);
    expect(new Set(result.value.skills).size).toBe(result.value.skills.length);
    expect(result.cached).toBe(false);
    const sent = server.lastChatRequest();
    const format = sent?.response_format as {
      type: string;
      json_schema: { strict: boolean; schema: { required: string[]; additionalProperties: boolean } };
    };
    expect(format.type).toBe("json_schema");
    expect(format.json_schema.strict).toBe(true);
    expect(format.json_schema.schema.required.sort()).toEqual(["difficulty", "note", "skills", "useCase"]);
    expect(format.json_schema.schema.additionalProperties).toBe(false);
    expect(store.calls).toHaveLength(1);
    expect(store.calls[0]).toMatchObject({
      status: "ok",
      projectId: 7,
      runId: 3,
      attempts: 1,
      promptName: "encode",
      error: null,
    });
    expect(store.calls[0]!.id).toBe(result.callId);
  });

  it("asks once for a repair when the answer does not match the schema", async () => {
    server.setOptions({ failNext: [{ malformed: true }] });
    const gateway = createLlmGateway({ store });
    const result = await gateway.complete(fakeEndpoint(server.url), request());

    expect(skillsSchema.safeParse(result.value).success).toBe(true);
    expect(server.stats().chatRequests).toBe(2);
    const repairTurn = server.lastChatRequest()?.messages.at(-1);
    expect(repairTurn?.role).toBe("user");
    expect(String(repairTurn?.content)).toContain("could not be used");
    expect(store.calls[0]).toMatchObject({ status: "ok", attempts: 2 });
  });

  it("fails as malformed after the one repair, keeping the raw text", async () => {
    server.setOptions({ failNext: [{ malformed: true }, { malformed: true }] });
    const gateway = createLlmGateway({ store });
    const error = await gateway
      .complete(fakeEndpoint(server.url), request())
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(LlmError);
    const llmError = error as LlmError;
    expect(llmError.kind).toBe("malformed");
    expect(llmError.retryable).toBe(false);
    expect(llmError.rawText).toBeTruthy();
    expect(skillsSchema.safeParse(safeJson(llmError.rawText!)).success).toBe(false);
    expect(server.stats().chatRequests).toBe(2);
    expect(store.calls[0]).toMatchObject({ status: "error", attempts: 2 });
    expect(store.calls[0]!.promptTokens).toBeGreaterThan(0); // the failed answers were paid for
    expect(store.cache.size).toBe(0);
  });

  it("json_in_text mode puts the schema in the system prompt and parses JSON out of prose", async () => {
    const gateway = createLlmGateway({ store });
    const result = await gateway.complete(
      fakeEndpoint(server.url, { structuredOutputMode: "json_in_text" }),
      request(),
    );

    const sent = server.lastChatRequest();
    expect(sent?.response_format).toBeUndefined();
    const system = String(sent?.messages[0]?.content);
    expect(system).toContain("You extract metadata from instructions.");
    expect(system).toContain(jsonInTextLead);
    expect(system).toContain("```json");
    expect(result.text).toMatch(/^Here is the JSON/); // prose around the JSON was tolerated
    expect(skillsSchema.safeParse(result.value).success).toBe(true);
  });

  it("returns plain text when there is no schema, longer for strong models", async () => {
    const gateway = createLlmGateway({ store });
    const plain = { promptName: "answer", promptVersion: "v1", messages };
    const strong = await gateway.complete(
      fakeEndpoint(server.url, { model: "fake-strong-a", maxTokens: 4000 }),
      plain,
    );
    const target = await gateway.complete(
      fakeEndpoint(server.url, { model: "fake-target-a", maxTokens: 4000 }),
      plain,
    );

    expect(typeof strong.value).toBe("string");
    expect(strong.value).toBe(strong.text);
    expect(strong.value.length).toBeGreaterThan(target.value.length);
    expect(server.lastChatRequest()?.response_format).toBeUndefined();
  });
});

describe("cache and dedup", () => {
  it("a repeated identical call is served from the cache: no HTTP request, zero cost", async () => {
    const gateway = createLlmGateway({ store });
    const endpoint = fakeEndpoint(server.url, { priceInputPerMTok: 3, priceOutputPerMTok: 15 });
    const first = await gateway.complete(endpoint, request());
    const second = await gateway.complete(endpoint, request());

    expect(server.stats().chatRequests).toBe(1);
    expect(second).toMatchObject({
      cached: true,
      costUsd: 0,
      value: first.value,
      fingerprint: first.fingerprint,
    });
    expect(first.costUsd).toBeGreaterThan(0);
    expect(store.calls.map((call) => call.status)).toEqual(["ok", "cache_hit"]);
    expect(store.calls[1]).toMatchObject({ costUsd: 0, promptTokens: 0, completionTokens: 0 });
  });

  it("a new prompt version or seed misses the cache", async () => {
    const gateway = createLlmGateway({ store });
    const endpoint = fakeEndpoint(server.url);
    const first = await gateway.complete(endpoint, request());
    const newVersion = await gateway.complete(endpoint, request({ promptVersion: "v2" }));
    const newSeed = await gateway.complete(endpoint, request({ seed: 42 }));

    expect(new Set([first.fingerprint, newVersion.fingerprint, newSeed.fingerprint]).size).toBe(3);
    expect(server.stats().chatRequests).toBe(3);
  });

  it("concurrent identical calls share one request", async () => {
    server.setOptions({ latencyMs: 50 });
    const gateway = createLlmGateway({ store });
    const endpoint = fakeEndpoint(server.url);
    const results = await Promise.all(Array.from({ length: 5 }, () => gateway.complete(endpoint, request())));

    expect(server.stats().chatRequests).toBe(1);
    expect(new Set(results.map((result) => JSON.stringify(result.value))).size).toBe(1);
    expect(results.filter((result) => !result.cached)).toHaveLength(1);
    expect(store.calls.map((call) => call.status).sort()).toEqual([
      "cache_hit",
      "cache_hit",
      "cache_hit",
      "cache_hit",
      "ok",
    ]);
  });
});

describe("usage accounting", () => {
  it("costs prompt and completion tokens at the endpoint's prices per million", async () => {
    const gateway = createLlmGateway({ store });
    const endpoint = fakeEndpoint(server.url, { priceInputPerMTok: 2.5, priceOutputPerMTok: 10 });
    const result = await gateway.complete(endpoint, { promptName: "answer", promptVersion: "v1", messages });

    // The fake server counts characters / 4, like the gateway's estimate.
    const promptChars = messages.reduce((sum, message) => sum + message.content.length, 0);
    expect(result.promptTokens).toBe(Math.ceil(promptChars / 4));
    expect(result.completionTokens).toBe(Math.ceil(result.text.length / 4));
    expect(result.costUsd).toBeCloseTo(
      (result.promptTokens * 2.5 + result.completionTokens * 10) / 1_000_000,
      12,
    );
    expect(store.calls[0]).toMatchObject({
      promptTokens: result.promptTokens,
      completionTokens: result.completionTokens,
      costUsd: result.costUsd,
    });
  });
});

describe("API keys", () => {
  it("sends the key from its env var but never stores it or lets it shape the fingerprint", async () => {
    const secret = "sk-test-gateway-secret-0123456789";
    process.env.TEST_GATEWAY_API_KEY = secret;
    server.setOptions({ apiKey: secret });
    try {
      const gateway = createLlmGateway({ store });
      const endpoint = fakeEndpoint(server.url, { apiKeyEnv: "TEST_GATEWAY_API_KEY" });
      const result = await gateway.complete(endpoint, request());
      process.env.TEST_GATEWAY_API_KEY = "sk-another-key-9876543210";
      const again = await gateway.complete(endpoint, request());

      expect(again.cached).toBe(true);
      expect(again.fingerprint).toBe(result.fingerprint);
      const stored = JSON.stringify({ calls: store.calls, cache: [...store.cache.values()] });
      expect(stored).not.toContain(secret);
      expect(stored).not.toContain("sk-another-key");
    } finally {
      server.setOptions({ apiKey: null });
      delete process.env.TEST_GATEWAY_API_KEY;
    }
  });
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

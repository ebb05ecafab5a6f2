import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { describeAdaptation, type EndpointAdaptations } from "@/lib/llm/adaptations";
import { LlmError } from "@/lib/llm/errors";
import { createLlmGateway } from "@/lib/llm/gateway";
import { createMemoryLlmStore } from "@/lib/llm/memory-store";
import { jsonInTextLead } from "@/lib/llm/structured-output";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";

const ideasSchema = z.object({
  ideas: z.array(z.string().min(1)).min(2).max(4),
  rating: z.number().int().min(1).max(10),
});
const messages = [{ role: "user" as const, content: "List two ideas for a bakery and rate them." }];
const structured = { promptName: "ideas", promptVersion: "v1", messages, schema: ideasSchema };
const plain = { promptName: "answer", promptVersion: "v1", messages, schema: undefined };

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.setOptions({ provider: "openai-compatible", failNext: [], loadingRequests: 0 });
  server.resetStats();
});

function describeAll(adaptations: EndpointAdaptations): string[] {
  return adaptations.map(describeAdaptation);
}

describe("reasoning models", () => {
  it("sends max_completion_tokens and no temperature to an o-series or gpt-5 name on any host", async () => {
    server.setOptions({ provider: "openai-reasoning" });
    const gateway = createLlmGateway({ store: createMemoryLlmStore() });
    for (const model of ["o3-mini", "openai/o4-mini", "gpt-5-mini"]) {
      const endpoint = fakeEndpoint(server.url, { model, temperature: 0.7 });
      const result = await gateway.complete(endpoint, { ...plain, temperature: 0.7 });
      expect(result.text.length).toBeGreaterThan(0);
      const sent = server.lastChatRequest()!;
      expect(sent.max_completion_tokens).toBe(512);
      expect(sent.max_tokens).toBeUndefined();
      expect(sent.temperature).toBeUndefined();
      expect(await gateway.adaptationsFor(endpoint)).toEqual([]);
    }
    expect(server.stats().byStatus["400"]).toBeUndefined();
  });

  it("counts reasoning tokens and prices them as output", async () => {
    server.setOptions({ provider: "openai-reasoning" });
    const store = createMemoryLlmStore();
    const gateway = createLlmGateway({ store });
    const endpoint = fakeEndpoint(server.url, {
      model: "o3",
      priceInputPerMTok: 2,
      priceOutputPerMTok: 8,
      reasoningEffort: "low",
    });
    const result = await gateway.complete(endpoint, structured);
    expect(result.reasoningTokens).toBe(64);
    expect(result.completionTokens).toBeGreaterThan(64);
    expect(result.costUsd).toBeCloseTo((result.promptTokens * 2 + result.completionTokens * 8) / 1e6, 12);
    expect(server.lastChatRequest()).toMatchObject({ reasoning_effort: "low" });
  });

  it("adapts to OpenAI's refusals for a deployment whose name hides the family, once, and remembers it", async () => {
    server.setOptions({ provider: "openai-reasoning" });
    const gateway = createLlmGateway({ store: createMemoryLlmStore() });
    const endpoint = fakeEndpoint(server.url, { model: "prod-deployment", temperature: 0.7 });
    const first = await gateway.complete(endpoint, { ...structured, temperature: 0.7 });
    expect(ideasSchema.parse(first.value)).toEqual(first.value);
    expect(describeAll(await gateway.adaptationsFor(endpoint))).toEqual([
      "max_tokens not supported: sent max_completion_tokens instead",
      "temperature not supported: sent without it",
    ]);
    expect(server.stats().byStatus["400"]).toBe(2);

    server.resetStats();
    await gateway.complete(endpoint, { ...plain, temperature: 0.7 });
    expect(server.stats().byStatus).toEqual({ "200": 1 });
    expect(server.lastChatRequest()!.max_completion_tokens).toBe(512);
  });
});

describe("structured output fallbacks", () => {
  it("vLLM's xgrammar refusal (flat error body) falls back to a simplified schema, checked by the same zod schema", async () => {
    server.setOptions({ provider: "vllm-xgrammar" });
    const gateway = createLlmGateway({ store: createMemoryLlmStore() });
    const endpoint = fakeEndpoint(server.url);
    const result = await gateway.complete(endpoint, structured);
    expect(ideasSchema.parse(result.value)).toEqual(result.value);
    const adaptations = await gateway.adaptationsFor(endpoint);
    expect(adaptations).toHaveLength(1);
    expect(adaptations[0]).toMatchObject({
      kind: "structured",
      mode: "simplified_schema",
      serverMessage: "The provided JSON schema contains features not supported by xgrammar.",
    });
    const sent = server.lastChatRequest()!.response_format!.json_schema!.schema!;
    expect(JSON.stringify(sent)).not.toMatch(/minItems|maximum/);
  });

  it("OpenAI strict mode refusing minLength gets the simplified schema", async () => {
    server.setOptions({ provider: "openai-strict" });
    const gateway = createLlmGateway({ store: createMemoryLlmStore() });
    const endpoint = fakeEndpoint(server.url);
    // minLength is kept in the strict schema (OpenAI refuses it) and left out of the simplified one.
    const named = z.object({ title: z.string().min(3), tags: z.array(z.string()) });
    const result = await gateway.complete(endpoint, { ...structured, schema: named });
    expect(named.parse(result.value)).toEqual(result.value);
    expect(describeAll(await gateway.adaptationsFor(endpoint))).toEqual([
      "response_format json_schema refused: sent a simplified schema (answers still checked against the full one)",
    ]);
  });

  it("goes to JSON in text when the simplified schema is refused too", async () => {
    server.setOptions({
      provider: "openai-compatible",
      failNext: [
        {
          status: 400,
          body: { error: { message: "json_schema is not supported", param: "response_format" } },
        },
        {
          status: 400,
          body: { error: { message: "json_schema is not supported", param: "response_format" } },
        },
      ],
    });
    const gateway = createLlmGateway({ store: createMemoryLlmStore() });
    const endpoint = fakeEndpoint(server.url);
    const result = await gateway.complete(endpoint, structured);
    expect(ideasSchema.parse(result.value)).toEqual(result.value);
    expect((await gateway.adaptationsFor(endpoint)).map((a) => a.kind === "structured" && a.mode)).toEqual([
      "simplified_schema",
      "json_in_text",
    ]);
    const sent = server.lastChatRequest()!;
    expect(sent.response_format).toBeUndefined();
    expect(JSON.stringify(sent.messages)).toContain(jsonInTextLead);
  });
});

describe("other providers", () => {
  it("LiteLLM in front of Anthropic: drops the parameters it lists", async () => {
    server.setOptions({ provider: "litellm-anthropic" });
    const gateway = createLlmGateway({ store: createMemoryLlmStore() });
    const endpoint = fakeEndpoint(server.url, { model: "claude-sonnet" });
    const result = await gateway.complete(endpoint, { ...plain, seed: 42, temperature: 1.3 });
    expect(result.text.length).toBeGreaterThan(0);
    expect(describeAll(await gateway.adaptationsFor(endpoint))).toEqual([
      "seed not supported: sent without it",
      "temperature not supported: sent without it",
    ]);
  });

  it("llama.cpp loading (503) is retried; OpenRouter's 200 with an error body is retried", async () => {
    server.setOptions({ provider: "llamacpp", loadingRequests: 2 });
    const gateway = createLlmGateway({ store: createMemoryLlmStore(), retry: { baseDelayMs: 1 } });
    const result = await gateway.complete(fakeEndpoint(server.url), plain);
    expect(result.text.length).toBeGreaterThan(0);
    expect(server.stats().byStatus["503"]).toBe(2);

    server.setOptions({ provider: "openrouter", failNext: [{ errorIn200: true }] });
    const routed = await gateway.complete(fakeEndpoint(server.url, { model: "openai/gpt-4o" }), plain);
    expect(routed.text.length).toBeGreaterThan(0);
  });

  it("a refusal that names nothing adaptable fails with the server's own message", async () => {
    server.setOptions({
      failNext: [
        {
          status: 400,
          body: {
            object: "error",
            message: "This model's maximum context length is 4096 tokens.",
            type: "BadRequestError",
            param: null,
            code: 400,
          },
        },
      ],
    });
    const gateway = createLlmGateway({ store: createMemoryLlmStore() });
    const error = await gateway.complete(fakeEndpoint(server.url), plain).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).message).toContain("maximum context length is 4096 tokens");
    expect(server.stats().chatRequests).toBe(1);
  });

  it("Ollama's unpulled model names the fix", async () => {
    server.setOptions({ provider: "ollama", models: ["llama3.1:8b"] });
    const gateway = createLlmGateway({ store: createMemoryLlmStore() });
    const error = await gateway
      .complete(fakeEndpoint(server.url, { model: "qwen2.5:7b" }), plain)
      .catch((e: unknown) => e);
    expect((error as LlmError).kind).toBe("model_not_found");
    expect((error as LlmError).message).toContain('model "qwen2.5:7b" not found, try pulling it first');
    server.setOptions({ models: null });
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { connectionProbes } from "@/lib/codeclm/connection-probes";
import { testConnection } from "@/lib/llm/test-connection";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";

let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.setOptions({
    apiKey: null,
    models: null,
    serveModelsRoute: true,
    supportsJsonSchema: true,
    failNext: [],
  });
  server.resetStats();
});

describe("testConnection", () => {
  it("reports a working endpoint with structured output", async () => {
    const check = await testConnection(fakeEndpoint(server.url, { model: "fake-target" }));
    expect(check).toMatchObject({ ok: true, structuredOutput: true });
    expect(check.ok && check.advice).toBeFalsy();
    expect(check.capabilities).toEqual([
      { capability: "Structured output", status: "works", adaptations: [] },
      { capability: "Plain-text answer", status: "works", adaptations: [] },
    ]);
  });

  it("advises json_in_text when the server rejects response_format", async () => {
    server.setOptions({ supportsJsonSchema: false });
    const check = await testConnection(fakeEndpoint(server.url, { model: "fake-target" }));
    expect(check).toMatchObject({ ok: true, structuredOutput: false });
    expect(check.ok && check.advice).toContain("json_in_text");
  });

  it("reports an unreachable server", async () => {
    const probe = await startFakeLlmServer();
    await probe.stop();
    const check = await testConnection(fakeEndpoint(probe.url));
    expect(check).toEqual({
      ok: false,
      kind: "unreachable",
      message: `Cannot reach ${probe.url} (connection refused): check the base URL`,
      capabilities: [],
    });
  });

  it("reports a refused key", async () => {
    server.setOptions({ apiKey: "sk-expected-key-123456" });
    process.env.TEST_CONNECTION_API_KEY = "sk-other-key-123456";
    try {
      const check = await testConnection(fakeEndpoint(server.url, { apiKeyEnv: "TEST_CONNECTION_API_KEY" }));
      expect(check).toMatchObject({ ok: false, kind: "auth" });
      expect(JSON.stringify(check)).not.toContain("sk-other-key-123456");
    } finally {
      delete process.env.TEST_CONNECTION_API_KEY;
    }
  });

  it("reports an unset key variable without calling the server", async () => {
    const check = await testConnection(
      fakeEndpoint(server.url, { apiKeyEnv: "TEST_CONNECTION_UNSET_API_KEY" }),
    );
    expect(check).toMatchObject({ ok: false, kind: "auth" });
    expect(server.stats().requests).toBe(0);
  });

  it("never sends a variable outside the allow-list (DATABASE_URL) anywhere, even when it is set", async () => {
    process.env.DATABASE_URL ??= "postgresql://root@127.0.0.1:5432/postgres";
    const check = await testConnection(fakeEndpoint(server.url, { apiKeyEnv: "DATABASE_URL" }));
    expect(check).toMatchObject({ ok: false, kind: "auth" });
    expect(check.ok ? "" : check.message).toMatch(/DATABASE_URL holds the app's own settings/);
    expect(server.stats().requests).toBe(0);
  });

  it("reports an unknown model and names what the server serves", async () => {
    server.setOptions({ models: ["llama-3-8b", "qwen-7b"] });
    const check = await testConnection(fakeEndpoint(server.url, { model: "gpt-x" }));
    expect(check).toEqual({
      ok: false,
      kind: "model_not_found",
      message: `Model "gpt-x" is not served by ${server.url}: it serves "llama-3-8b", "qwen-7b"`,
      capabilities: [],
    });
  });

  it("falls back to a 1-token chat call when the server has no /models route", async () => {
    server.setOptions({ serveModelsRoute: false });
    expect(await testConnection(fakeEndpoint(server.url, { model: "fake-target" }))).toMatchObject({
      ok: true,
    });
    const missing = await testConnection(fakeEndpoint(server.url, { model: "unknown-model" }));
    expect(missing).toMatchObject({ ok: false, kind: "model_not_found" });
    expect(server.lastChatRequest()?.max_tokens).toBe(1);
  });

  it("reports a server that keeps failing", async () => {
    server.setOptions({ failNext: [{ status: 500 }, { status: 500 }] });
    const check = await testConnection(
      fakeEndpoint(server.url, { model: "fake-target", structuredOutputMode: "json_schema" }),
    );
    // /models works, so the model check passes; the structured probe hits the scripted 500s (twice).
    expect(check).toMatchObject({ ok: false, kind: "server" });
    expect(check.capabilities[0]).toMatchObject({ capability: "Structured output", status: "failed" });
    expect(check.capabilities[0]!.message).toContain("Fake failure with status 500");
    expect(check.capabilities[1]).toMatchObject({ capability: "Plain-text answer", status: "works" });
  });
});

describe("testConnection sends what a run sends", () => {
  const probes = connectionProbes("strong", { methodTemperature: 0.7, rubricCount: 4, actionCount: 4 });

  it("reports each adaptation to a reasoning model whose deployment name hides its family", async () => {
    server.setOptions({ provider: "openai-reasoning" });
    try {
      const check = await testConnection(fakeEndpoint(server.url, { model: "prod-deployment" }), { probes });
      expect(check.ok).toBe(true);
      expect(check.capabilities.map((c) => c.capability)).toEqual(probes.map((p) => p.capability));
      expect(check.capabilities[0]).toEqual({
        capability: "Encode (metadata schema)",
        status: "adapted",
        adaptations: [
          "max_tokens not supported: sent max_completion_tokens instead",
          "temperature not supported: sent without it",
        ],
      });
      // Judging and the plain answer run at the endpoint's temperature: only the token parameter applies.
      expect(check.capabilities.at(-1)).toMatchObject({
        status: "adapted",
        adaptations: ["max_tokens not supported: sent max_completion_tokens instead"],
      });
    } finally {
      server.setOptions({ provider: "openai-compatible" });
    }
  });

  it("catches a vLLM that refuses the method's real schemas (a one-field probe would pass)", async () => {
    server.setOptions({ provider: "vllm-xgrammar" });
    try {
      const check = await testConnection(fakeEndpoint(server.url, { model: "fake-strong" }), { probes });
      expect(check).toMatchObject({ ok: true, structuredOutput: true });
      const byName = Object.fromEntries(check.capabilities.map((c) => [c.capability, c]));
      // decode's instructions need minItems, refused by xgrammar: the simplified schema is used.
      expect(byName["Decode (instructions schema)"]).toMatchObject({ status: "adapted" });
      expect(byName["Decode (instructions schema)"]!.adaptations[0]).toMatch(/simplified schema/);
      expect(byName["Plain-text answer"]).toEqual({
        capability: "Plain-text answer",
        status: "works",
        adaptations: [],
      });
    } finally {
      server.setOptions({ provider: "openai-compatible" });
    }
  });
});

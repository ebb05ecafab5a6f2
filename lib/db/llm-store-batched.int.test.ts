import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { getPool } from "@/lib/db/client";
import { createBatchedLlmStore } from "@/lib/db/llm-store-batched";
import { createLlmGateway } from "@/lib/llm/gateway";
import { createTestProject, useTestDatabase } from "@/test/db";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";

let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.stop();
});

describe("createBatchedLlmStore", () => {
  it("keeps the first cache entry when the same fingerprint is stored twice", async () => {
    const store = (useTestDatabase(), createBatchedLlmStore(getPool()));
    const fingerprint = `fp-${Date.now()}-${Math.random()}`;
    const entry = {
      fingerprint,
      model: "m",
      promptVersion: "v1",
      content: "first",
      promptTokens: 3,
      completionTokens: 4,
    };
    expect(await store.getCached(fingerprint)).toBeNull();
    await store.putCached(entry);
    await store.putCached({ ...entry, content: "second" });
    expect(await store.getCached(fingerprint)).toEqual(entry);
  });

  it("records calls and returns their ids", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const store = createBatchedLlmStore(getPool());
    const row = {
      projectId: project.id,
      runId: null,
      evaluationId: null, // a real FK since the evaluation migration
      fingerprint: "abc",
      role: "judge" as const,
      baseUrl: "http://x/v1",
      model: "m",
      promptName: "judge",
      promptVersion: "v3",
      promptTokens: 10,
      completionTokens: 20,
      latencyMs: 5,
      costUsd: 0.25,
      attempts: 2,
      status: "error" as const,
      error: "boom",
    };
    const id = await store.recordCall(row);
    expect(await db.llmCall.findUniqueOrThrow({ where: { id } })).toMatchObject(row);
  });

  it("returns each caller its own row's id when many calls share one statement", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const store = createBatchedLlmStore(getPool());
    const rows = Array.from({ length: 37 }, (_, index) => ({
      projectId: project.id,
      runId: null,
      evaluationId: null,
      fingerprint: `fp-${index}`,
      role: "strong" as const,
      baseUrl: "http://x/v1",
      model: "m",
      promptName: `prompt-${index}`,
      promptVersion: "v1",
      promptTokens: index,
      completionTokens: 0,
      latencyMs: 1,
      costUsd: 0,
      attempts: 1,
      status: "ok" as const,
      error: null,
    }));
    // Added in the same event-loop turn: one INSERT for all 37.
    const ids = await Promise.all(rows.map((row) => store.recordCall(row)));
    const stored = await db.llmCall.findMany({ where: { id: { in: ids } } });
    const byId = new Map(stored.map((call) => [call.id, call]));
    ids.forEach((id, index) => expect(byId.get(id)?.promptName).toBe(`prompt-${index}`));
  });

  it("lets a second gateway (another process, a resumed run) reuse a paid answer", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const endpoint = fakeEndpoint(server.url, { priceInputPerMTok: 1, priceOutputPerMTok: 2 });
    const request = {
      promptName: "encode",
      promptVersion: "v1",
      messages: [{ role: "user" as const, content: `Summarise project ${project.id}` }],
      schema: z.object({ summary: z.string() }),
    };
    const first = await createLlmGateway({ store: createBatchedLlmStore(getPool()) }).complete(
      endpoint,
      request,
      {
        projectId: project.id,
      },
    );
    const second = await createLlmGateway({ store: createBatchedLlmStore(getPool()) }).complete(
      endpoint,
      request,
      {
        projectId: project.id,
      },
    );

    expect(second).toMatchObject({ cached: true, costUsd: 0, value: first.value });
    const calls = await db.llmCall.findMany({ where: { projectId: project.id }, orderBy: { id: "asc" } });
    expect(calls.map((call) => call.status)).toEqual(["ok", "cache_hit"]);
    expect(calls[0]!.costUsd).toBeCloseTo(first.costUsd, 12);
    expect(calls[0]!.id).toBe(first.callId);
  });
});

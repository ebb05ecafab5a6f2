import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPool } from "@/lib/db/client";
import { clearAdaptations, createAdaptationStore, listAdaptations } from "@/lib/db/endpoint-adaptations";
import { describeAdaptation } from "@/lib/llm/adaptations";
import { createLlmGateway } from "@/lib/llm/gateway";
import { createMemoryLlmStore } from "@/lib/llm/memory-store";
import { useTestDatabase } from "@/test/db";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer({ provider: "openai-reasoning" });
});
afterAll(async () => {
  await server.stop();
});

describe("EndpointAdaptation", () => {
  it("what one gateway learned is used by another without a second refusal, and can be forgotten", async () => {
    useTestDatabase();
    const endpoint = fakeEndpoint(server.url, { model: `azure-deployment-${Date.now()}`, temperature: 0.7 });
    const plain = {
      promptName: "p",
      promptVersion: "v1",
      messages: [{ role: "user" as const, content: "Hi" }],
    };

    const first = createLlmGateway({
      store: createMemoryLlmStore(),
      adaptations: createAdaptationStore(getPool()),
    });
    await first.complete(endpoint, plain);
    expect(server.stats().byStatus["400"]).toBe(2);

    const listed = await listAdaptations(getPool(), [
      { baseUrl: `${endpoint.baseUrl}/`, model: endpoint.model },
    ]);
    expect([...listed.values()][0]!.map(describeAdaptation)).toEqual([
      "max_tokens not supported: sent max_completion_tokens instead",
      "temperature not supported: sent without it",
    ]);

    server.resetStats();
    const second = createLlmGateway({
      store: createMemoryLlmStore(),
      adaptations: createAdaptationStore(getPool()),
    });
    await second.complete(endpoint, { ...plain, promptVersion: "v2" });
    expect(server.stats().byStatus).toEqual({ "200": 1 });

    await clearAdaptations(getPool(), endpoint);
    expect((await listAdaptations(getPool(), [endpoint])).size).toBe(0);
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { LlmError } from "@/lib/llm/errors";
import { createLlmGateway, type LlmGatewayOptions } from "@/lib/llm/gateway";
import { createMemoryLlmStore, type MemoryLlmStore } from "@/lib/llm/memory-store";
import type { EndpointConfig } from "@/lib/llm/types";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";

const answerSchema = z.object({ answer: z.string() });
const fastRetry: LlmGatewayOptions["retry"] = { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20 };

let server: FakeLlmServer;
let store: MemoryLlmStore;
let requestCounter = 0;

function ask(gateway: ReturnType<typeof createLlmGateway>, endpoint: EndpointConfig, signal?: AbortSignal) {
  requestCounter += 1; // distinct prompts, so neither the cache nor dedup hides a request
  return gateway.complete(
    endpoint,
    {
      promptName: "probe",
      promptVersion: "v1",
      messages: [{ role: "user", content: `question number ${requestCounter}` }],
      schema: answerSchema,
    },
    { signal },
  );
}

async function failure(promise: Promise<unknown>): Promise<LlmError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LlmError);
  return error as LlmError;
}

/** A loopback URL with nothing listening (fetch refuses some low ports outright, so not :9). */
async function closedPortUrl(): Promise<string> {
  const probe = await startFakeLlmServer();
  await probe.stop();
  return probe.url;
}

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.setOptions({ latencyMs: 0, failNext: [], apiKey: null, holdUntilInFlight: 0 });
  server.resetStats();
  store = createMemoryLlmStore();
});

describe("retries", () => {
  it("honours Retry-After in seconds on a 429", async () => {
    server.setOptions({ failNext: [{ status: 429, retryAfter: "1" }] });
    const gateway = createLlmGateway({ store, retry: fastRetry });
    const startedAt = Date.now();
    const result = await ask(gateway, fakeEndpoint(server.url));

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
    expect(result.value.answer).toBeTruthy();
    expect(server.stats().byStatus).toMatchObject({ "429": 1, "200": 1 });
    expect(store.calls[0]).toMatchObject({ status: "ok", attempts: 2 });
  });

  it("a 429 cools the whole endpoint down: queued calls wait too", async () => {
    server.setOptions({ latencyMs: 10, failNext: [{ status: 429, retryAfter: null, retryAfterMs: "300" }] });
    const gateway = createLlmGateway({ store, retry: fastRetry });
    const endpoint = fakeEndpoint(server.url, { maxConcurrency: 1 });
    const startedAt = Date.now();
    const first = ask(gateway, endpoint);
    const second = ask(gateway, endpoint).then(() => Date.now() - startedAt);
    await first;

    // Without the cool-down the second call would start right after the first one's 429 (~10 ms).
    expect(await second).toBeGreaterThanOrEqual(290);
  });

  it("backs off and retries a 500, then succeeds", async () => {
    server.setOptions({ failNext: [{ status: 500 }, { status: 503, retryAfter: null }] });
    const gateway = createLlmGateway({ store, retry: fastRetry });
    const result = await ask(gateway, fakeEndpoint(server.url));

    expect(result.cached).toBe(false);
    expect(server.stats().chatRequests).toBe(3);
    expect(store.calls[0]).toMatchObject({ status: "ok", attempts: 3 });
  });

  it("retries a connection reset", async () => {
    server.setOptions({ failNext: [{ reset: true }] });
    const gateway = createLlmGateway({ store, retry: fastRetry });
    await ask(gateway, fakeEndpoint(server.url));
    expect(store.calls[0]).toMatchObject({ status: "ok", attempts: 2 });
  });

  it("retries a connection closed in the middle of the answer, like a 5xx", async () => {
    server.setOptions({ failNext: [{ closeMidBody: true }, { closeMidBody: true }] });
    const gateway = createLlmGateway({ store, retry: fastRetry });
    await ask(gateway, fakeEndpoint(server.url));
    expect(server.stats().chatRequests).toBe(3);
    expect(store.calls[0]).toMatchObject({ status: "ok", attempts: 3 });
  });

  it("gives up after maxAttempts with a retryable server error", async () => {
    server.setOptions({ failNext: Array.from({ length: 6 }, () => ({ status: 502 })) });
    const gateway = createLlmGateway({ store, retry: { ...fastRetry, maxAttempts: 3 } });
    const error = await failure(ask(gateway, fakeEndpoint(server.url)));

    expect(error).toMatchObject({ kind: "server", status: 502, retryable: true, fatalForEndpoint: false });
    expect(server.stats().chatRequests).toBe(3);
    expect(store.calls[0]).toMatchObject({ status: "error", attempts: 3, error: error.message });
  });

  it("times out after the endpoint's timeoutMs and retries", async () => {
    server.setOptions({ failNext: [{ timeout: true }, { timeout: true }] });
    const gateway = createLlmGateway({ store, retry: { ...fastRetry, maxAttempts: 2 } });
    // The fake hangs for 60 s: only the 150 ms timeout can end this call within the test's timeout.
    const error = await failure(ask(gateway, fakeEndpoint(server.url, { timeoutMs: 150 })));

    expect(error.kind).toBe("timeout");
    expect(error.message).toContain("150 ms");
    expect(server.stats().chatRequests).toBe(2);
  });
});

describe("endpoint errors", () => {
  it("connection refused is fatal for the endpoint and not retried", async () => {
    const closedUrl = await closedPortUrl();
    const gateway = createLlmGateway({ store, retry: fastRetry });
    const error = await failure(ask(gateway, fakeEndpoint(closedUrl)));

    expect(error).toMatchObject({ kind: "unreachable", fatalForEndpoint: true, retryable: false });
    expect(error.message).toBe(`Cannot reach ${closedUrl} (connection refused): check the base URL`);
    expect(store.calls[0]).toMatchObject({ status: "error", attempts: 1 });
  });

  it("a refused key is fatal, names the env var, and never shows the key", async () => {
    const wrongKey = "sk-wrong-key-abcdefghijklmnop";
    process.env.TEST_WRONG_API_KEY = wrongKey;
    server.setOptions({ apiKey: "sk-right-key-0000000000" });
    try {
      const gateway = createLlmGateway({ store, retry: fastRetry });
      const error = await failure(
        ask(gateway, fakeEndpoint(server.url, { apiKeyEnv: "TEST_WRONG_API_KEY" })),
      );

      expect(error).toMatchObject({ kind: "auth", status: 401, fatalForEndpoint: true, retryable: false });
      expect(error.message).toBe(
        `401 from ${server.url}: the key in TEST_WRONG_API_KEY was refused: check that it is valid for this server`,
      );
      expect(server.stats().requests).toBe(1);
      expect(JSON.stringify(store.calls)).not.toContain(wrongKey);
      expect(JSON.stringify(error)).not.toContain(wrongKey);
    } finally {
      delete process.env.TEST_WRONG_API_KEY;
    }
  });

  it("a named but unset key variable fails before any request", async () => {
    const gateway = createLlmGateway({ store });
    const error = await failure(ask(gateway, fakeEndpoint(server.url, { apiKeyEnv: "TEST_UNSET_API_KEY" })));

    expect(error).toMatchObject({ kind: "auth", fatalForEndpoint: true });
    expect(error.message).toContain("TEST_UNSET_API_KEY is not set");
    expect(server.stats().requests).toBe(0);
  });

  it("an unknown model is fatal for the endpoint", async () => {
    const gateway = createLlmGateway({ store, retry: fastRetry });
    const error = await failure(ask(gateway, fakeEndpoint(server.url, { model: "gpt-unknown" })));

    expect(error).toMatchObject({
      kind: "model_not_found",
      status: 404,
      fatalForEndpoint: true,
      retryable: false,
    });
    expect(error.message).toContain(`Model "gpt-unknown" is not served by ${server.url}`);
    expect(server.stats().chatRequests).toBe(1);
  });

  it("a cancelled call stops waiting at once", async () => {
    // The answer would take 60 s, far beyond the test's timeout: only the cancel can end the call in time.
    server.setOptions({ latencyMs: 60_000 });
    const gateway = createLlmGateway({ store });
    const controller = new AbortController();
    const pending = ask(gateway, fakeEndpoint(server.url), controller.signal);
    while (server.stats().chatRequests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    const error = await failure(pending);

    expect(error.kind).toBe("cancelled");
    expect(store.calls[0]).toMatchObject({ status: "error" });
  });
});

describe("limits", () => {
  // The fake holds calls until 3 (then 2) wait together, so the limit is reached whatever the machine's load.
  it("never runs more calls at once than the endpoint's maxConcurrency", async () => {
    server.setOptions({ latencyMs: 30, holdUntilInFlight: 3 });
    const gateway = createLlmGateway({ store });
    const endpoint = fakeEndpoint(server.url, { maxConcurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => ask(gateway, endpoint)));

    expect(server.stats().chatRequests).toBe(12);
    expect(server.stats().inFlightMax).toBe(3);
  });

  it("shares the limit between gateways in the same process", async () => {
    server.setOptions({ latencyMs: 30, holdUntilInFlight: 2 });
    const endpoint = fakeEndpoint(server.url, { maxConcurrency: 2 });
    const gateways = [createLlmGateway({ store }), createLlmGateway({ store })];
    await Promise.all(Array.from({ length: 8 }, (_, index) => ask(gateways[index % 2]!, endpoint)));

    expect(server.stats().inFlightMax).toBe(2);
  });

  it("throttles to requestsPerMinute", async () => {
    const gateway = createLlmGateway({ store, limits: { burstMs: 100 } });
    // 1200/min with a 100 ms burst: 2 calls at once, then one every 50 ms.
    const endpoint = fakeEndpoint(server.url, { requestsPerMinute: 1200 });
    const startedAt = Date.now();
    await Promise.all(Array.from({ length: 8 }, () => ask(gateway, endpoint)));

    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(280);
  });
});

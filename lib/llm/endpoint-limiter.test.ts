import { afterEach, describe, expect, it, vi } from "vitest";
import { getEndpointLimiter, TokenBucket } from "@/lib/llm/endpoint-limiter";
import { LlmError } from "@/lib/llm/errors";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";

describe("TokenBucket", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("allows a burst, then waits for the refill", async () => {
    vi.useFakeTimers(); // the clock moves only when the test says so
    const bucket = new TokenBucket(6_000, 1_000); // 100 per second, burst of 100
    await bucket.take(100); // resolves with the clock standing still: no wait
    let refilled = false;
    const next = bucket.take(20).then(() => (refilled = true)); // 20 more need 200 ms of refill
    await vi.advanceTimersByTimeAsync(199);
    expect(refilled).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    await next;
    expect(refilled).toBe(true);
  });

  it("charges the difference when a call used more tokens than estimated", async () => {
    const bucket = new TokenBucket(6_000, 1_000);
    await bucket.take(50);
    bucket.adjust(100); // used 100 more than the estimate: level goes to -50
    const startedAt = Date.now();
    await bucket.take(10); // needs 60 tokens of refill, about 600 ms
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(550);
  });

  it("stops waiting when the call is cancelled", async () => {
    const bucket = new TokenBucket(60, 1_000); // 1 per second
    await bucket.take(1);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    await expect(bucket.take(1, controller.signal)).rejects.toBeInstanceOf(LlmError);
  });
});

describe("getEndpointLimiter", () => {
  it("shares one limiter per base URL and model, and follows setting changes", () => {
    const endpoint = fakeEndpoint("http://127.0.0.1:1234/v1", { maxConcurrency: 4 });
    const limiter = getEndpointLimiter(endpoint);
    expect(getEndpointLimiter({ ...endpoint, baseUrl: "http://127.0.0.1:1234/v1/", maxConcurrency: 6 })).toBe(
      limiter,
    );
    expect(limiter.queue.concurrency).toBe(6);
    expect(getEndpointLimiter({ ...endpoint, model: `${endpoint.model}-other` })).not.toBe(limiter);
  });
});

// Per-endpoint limits shared by every call in the process: concurrency (p-queue), requests and tokens per
// minute (token buckets), and a cool-down after a 429 that holds back every queued call, not just the one that hit it.
import PQueue from "p-queue";
import { LlmError } from "@/lib/llm/errors";
import { normalizeBaseUrl } from "@/lib/llm/fingerprint";
import type { EndpointConfig } from "@/lib/llm/types";

/** Waits ms, or rejects with a "cancelled" LlmError when the signal aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(new LlmError("cancelled", "The call was cancelled"));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(new LlmError("cancelled", "The call was cancelled"));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** A token bucket refilled continuously; `capacity` is the burst it allows. Debt (negative level) is allowed. */
export class TokenBucket {
  private level: number;
  private updatedAt: number;
  readonly capacity: number;
  private readonly perMs: number;

  constructor(
    readonly perMinute: number,
    burstMs: number,
  ) {
    this.capacity = Math.max(1, Math.floor((perMinute * burstMs) / 60_000));
    this.perMs = perMinute / 60_000;
    this.level = this.capacity;
    this.updatedAt = Date.now();
  }

  private refill(): void {
    const now = Date.now();
    this.level = Math.min(this.capacity, this.level + (now - this.updatedAt) * this.perMs);
    this.updatedAt = now;
  }

  async take(amount: number, signal?: AbortSignal): Promise<void> {
    const needed = Math.min(Math.max(0, amount), this.capacity);
    for (;;) {
      this.refill();
      if (this.level >= needed) {
        this.level -= needed;
        return;
      }
      await sleep(Math.ceil((needed - this.level) / this.perMs), signal);
    }
  }

  /** Corrects an estimate once the real usage is known (positive delta = used more than estimated). */
  adjust(delta: number): void {
    this.refill();
    this.level = Math.min(this.capacity, this.level - delta);
  }
}

export interface LimiterOptions {
  /** Burst window of the per-minute buckets: a full bucket holds this many milliseconds' worth. */
  burstMs?: number;
}

/** What the gateway needs from an endpoint's limits: this process's limiter, or the one shared through PostgreSQL. */
export interface EndpointLimits {
  /** Runs one HTTP attempt inside the limits; `lane` (a run or an evaluation) gets its fair turn among the waiting. */
  run<T>(task: () => Promise<T>, estimatedTokens: number, signal?: AbortSignal, lane?: string): Promise<T>;
  /** Corrects the token estimate once the real usage is known (positive: used more than estimated). */
  recordTokenCorrection(delta: number): void;
  coolDown(ms: number): void;
}

export class EndpointLimiter implements EndpointLimits {
  readonly queue: PQueue;
  private requests: TokenBucket | null = null;
  private tokens: TokenBucket | null = null;
  private cooldownUntil = 0;
  private resumeTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly burstMs: number;

  constructor(endpoint: EndpointConfig, options: LimiterOptions = {}) {
    this.burstMs = options.burstMs ?? 10_000;
    this.queue = new PQueue({ concurrency: Math.max(1, endpoint.maxConcurrency) });
    this.configure(endpoint);
  }

  /** Endpoint settings can change between runs; keep the queue, update the limits. */
  configure(endpoint: EndpointConfig): void {
    const concurrency = Math.max(1, endpoint.maxConcurrency);
    if (this.queue.concurrency !== concurrency) this.queue.concurrency = concurrency;
    const rpm = endpoint.requestsPerMinute ?? null;
    if ((this.requests?.perMinute ?? null) !== rpm)
      this.requests = rpm ? new TokenBucket(rpm, this.burstMs) : null;
    const tpm = endpoint.tokensPerMinute ?? null;
    if ((this.tokens?.perMinute ?? null) !== tpm)
      this.tokens = tpm ? new TokenBucket(tpm, this.burstMs) : null;
  }

  /** Runs one HTTP attempt inside the concurrency limit, after the per-minute buckets allow it. */
  async run<T>(task: () => Promise<T>, estimatedTokens: number, signal?: AbortSignal): Promise<T> {
    return this.queue.add(
      async () => {
        await this.waitForCooldown(signal);
        await this.requests?.take(1, signal);
        await this.tokens?.take(estimatedTokens, signal);
        return task();
      },
      { signal },
    );
  }

  recordTokenCorrection(delta: number): void {
    this.tokens?.adjust(delta);
  }

  coolDown(ms: number): void {
    if (ms <= 0) return;
    const until = Date.now() + ms;
    if (until <= this.cooldownUntil) return;
    this.cooldownUntil = until;
    this.queue.pause();
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = null;
      this.queue.start();
    }, ms);
  }

  private async waitForCooldown(signal?: AbortSignal): Promise<void> {
    const remaining = this.cooldownUntil - Date.now();
    if (remaining > 0) await sleep(remaining, signal);
  }
}

type LimiterRegistry = Map<string, EndpointLimiter>;
// One registry per process (survives Next's dev reloads), keyed by endpoint, so all gateways share the limits.
const globals = globalThis as typeof globalThis & { __codeclmLlmLimiters?: LimiterRegistry };
const registry: LimiterRegistry = (globals.__codeclmLlmLimiters ??= new Map());

export function endpointKey(endpoint: Pick<EndpointConfig, "baseUrl" | "model">): string {
  return `${normalizeBaseUrl(endpoint.baseUrl)}#${endpoint.model}`;
}

export function getEndpointLimiter(endpoint: EndpointConfig, options?: LimiterOptions): EndpointLimiter {
  const key = endpointKey(endpoint);
  let limiter = registry.get(key);
  if (limiter) limiter.configure(endpoint);
  else {
    limiter = new EndpointLimiter(endpoint, options);
    registry.set(key, limiter);
  }
  return limiter;
}

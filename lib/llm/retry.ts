// How long to wait before the next attempt: the server's Retry-After when it gave one, else full-jitter backoff.
import type { LlmError } from "@/lib/llm/errors";

export interface RetryOptions {
  /** Total HTTP attempts per request, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap of the exponential backoff. */
  maxDelayMs: number;
  /** Cap on a server-requested Retry-After, so one bad header cannot stall a run for hours. */
  maxRetryAfterMs: number;
  /** Injected for deterministic tests. */
  random: () => number;
}

export const defaultRetryOptions: RetryOptions = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  random: Math.random,
};

/** Full jitter: uniform in [0, min(cap, base * 2^(attempt-1))]. `attempt` is the one that just failed (1-based). */
export function backoffDelayMs(attempt: number, options: RetryOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(options.random() * ceiling);
}

export function retryDelayMs(error: LlmError, attempt: number, options: RetryOptions): number {
  if (error.retryAfterMs !== undefined) return Math.min(error.retryAfterMs, options.maxRetryAfterMs);
  return backoffDelayMs(attempt, options);
}

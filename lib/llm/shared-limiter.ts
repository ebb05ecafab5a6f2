// Endpoint limits that hold across every process sharing the database. Each process leases a share of an endpoint's
// concurrency (renewed while in use, expiring if the process dies) and runs calls inside its slots with no database
// round trip per call; it asks for more only when its demand outgrows them, and gives slots back when idle or when
// another process waits beyond its fair share. Per-minute budgets are taken for a batch of waiting calls at once.
// NOTIFY wakes waiting processes; a bounded fallback wait covers a missed notification or an expired lease.
import { LlmError } from "@/lib/llm/errors";
import { endpointKey, type EndpointLimits } from "@/lib/llm/endpoint-limiter";
import type { EndpointConfig, LlmLog } from "@/lib/llm/types";

export interface LeaseRequest {
  key: string;
  holder: string;
  /** The endpoint's concurrency limit. */
  limit: number;
  /** Calls this holder would run now (running + waiting), at most `limit`. */
  wanted: number;
  /** Slots this holder keeps whatever its fair share (calls running or starting). */
  running: number;
  ttlMs: number;
}

export interface LeaseGrant {
  /** Slots this holder now holds. */
  slots: number;
  /** Its fair share of the limit given everyone's demand. */
  share: number;
  /** Another holder wants more slots than it has. */
  othersWaiting: boolean;
  /** Milliseconds left of the endpoint's 429 cool-down (0: none). */
  cooldownMs: number;
}

export interface BudgetRequest {
  key: string;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  /** Requests and (estimated) tokens to take now, for a batch of calls. */
  requests: number;
  tokens: number;
  /** Tokens used beyond earlier estimates (negative: fewer), charged whether or not this take succeeds. */
  tokenCorrection: number;
  /** A full bucket holds this many milliseconds' worth of its per-minute rate (the burst it allows). */
  burstMs: number;
}

export interface LimitsMessage {
  key: string;
  /** lease: slots were freed or someone started waiting; cooldown: a 429 paused the endpoint for `ms`. */
  kind: "lease" | "cooldown";
  ms?: number;
}

/** The database side (lib/db/endpoint-limits.ts). */
export interface SharedLimitsBackend {
  syncLease(request: LeaseRequest): Promise<LeaseGrant>;
  /** 0 when granted, else milliseconds until the buckets hold enough (nothing taken then). */
  takeBudget(request: BudgetRequest): Promise<number>;
  coolDown(key: string, ms: number): Promise<void>;
  releaseHolder(holder: string): Promise<void>;
}

export interface SharedLimitsOptions {
  backend: SharedLimitsBackend;
  /** Unique per process (host, pid, random). */
  holder: string;
  log?: LlmLog;
  /** A lease not renewed within this time is free for others (a killed process). */
  leaseTtlMs?: number;
  /** Longest a waiting process sleeps without a notification before asking again. */
  fallbackWaitMs?: number;
  /** How long idle slots stay held in case demand returns (nobody else waiting). */
  lingerMs?: number;
  burstMs?: number;
}

export interface SharedLimits {
  limiterFor(endpoint: EndpointConfig): EndpointLimits;
  /** Feed NOTIFY messages here. */
  onMessage(message: LimitsMessage): void;
  /** Stops timers and releases every slot this process holds. */
  close(): Promise<void>;
}

interface Waiter {
  start: () => void;
  cancel: () => void;
}

interface BudgetWaiter {
  estimate: number;
  resolve: () => void;
  reject: (error: unknown) => void;
  signal?: AbortSignal;
}

const cancelled = () => new LlmError("cancelled", "The call was cancelled");
const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

interface Settings {
  backend: SharedLimitsBackend;
  holder: string;
  log: LlmLog;
  ttlMs: number;
  fallbackMs: number;
  lingerMs: number;
  burstMs: number;
}

class SharedEndpointLimiter implements EndpointLimits {
  private limit = 1;
  private requestsPerMinute: number | null = null;
  private tokensPerMinute: number | null = null;
  private held = 0;
  private share = 0;
  private othersWaiting = false;
  private running = 0;
  private waiting = 0;
  private readonly lanes = new Map<string, Waiter[]>();
  private cooldownUntil = 0;
  private leaseValidUntil = 0;
  private reportedWanted = -1;
  private syncing = false;
  private syncFailed = false;
  private syncKeep = 0;
  private resync = false;
  private closed = false;
  private pendingSync: Promise<unknown> = Promise.resolve();
  private readonly timers = new Map<
    "fallback" | "release" | "cooldown" | "heartbeat",
    ReturnType<typeof setTimeout>
  >();
  private readonly budgetQueue: BudgetWaiter[] = [];
  private budgetBusy = false;
  private tokenCorrection = 0;

  constructor(
    private readonly key: string,
    private readonly settings: Settings,
    endpoint: EndpointConfig,
  ) {
    this.configure(endpoint);
  }

  configure(endpoint: EndpointConfig): void {
    this.limit = Math.max(1, endpoint.maxConcurrency);
    this.requestsPerMinute = endpoint.requestsPerMinute ?? null;
    this.tokensPerMinute = endpoint.tokensPerMinute ?? null;
  }

  run<T>(task: () => Promise<T>, estimatedTokens: number, signal?: AbortSignal, lane = ""): Promise<T> {
    if (this.closed) return Promise.reject(cancelled());
    if (signal?.aborted) return Promise.reject(cancelled());
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        const queue = this.lanes.get(lane);
        const index = queue?.indexOf(waiter) ?? -1;
        if (index < 0) return;
        queue!.splice(index, 1);
        if (queue!.length === 0) this.lanes.delete(lane);
        this.waiting -= 1;
        reject(cancelled());
        this.pump();
      };
      const waiter: Waiter = {
        start: () => {
          signal?.removeEventListener("abort", onAbort);
          this.running += 1;
          void (async () => {
            try {
              await this.takeBudget(estimatedTokens, signal);
              resolve(await task());
            } catch (error) {
              reject(error);
            } finally {
              this.running -= 1;
              this.pump();
            }
          })();
        },
        cancel: () => {
          signal?.removeEventListener("abort", onAbort);
          reject(cancelled());
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const queue = this.lanes.get(lane);
      if (queue) queue.push(waiter);
      else this.lanes.set(lane, [waiter]);
      this.waiting += 1;
      this.pump();
    });
  }

  recordTokenCorrection(delta: number): void {
    if (this.tokensPerMinute) this.tokenCorrection += delta;
  }

  coolDown(ms: number): void {
    if (ms <= 0) return;
    this.cooldownUntil = Math.max(this.cooldownUntil, Date.now() + ms);
    this.settings.backend.coolDown(this.key, ms).catch((error: unknown) => {
      this.settings.log("warn", "could not share an endpoint cool-down", { error: describe(error) });
    });
  }

  onMessage(message: LimitsMessage): void {
    if (message.kind === "cooldown" && message.ms) {
      this.cooldownUntil = Math.max(this.cooldownUntil, Date.now() + message.ms);
      this.pump();
    } else if (message.kind === "lease" && (this.waiting > 0 || this.held > 0)) this.requestSync();
  }

  /** Calls this process may run at once right now. */
  private usable(now: number): number {
    if (now >= this.leaseValidUntil) return 0; // a lease we could not renew may already be someone else's
    let usable = this.held;
    if (this.othersWaiting) usable = Math.min(usable, this.share);
    if (this.syncing) usable = Math.min(usable, this.syncKeep);
    return usable;
  }

  private pump(): void {
    if (this.closed) return;
    const now = Date.now();
    if (this.cooldownUntil > now) {
      this.arm("cooldown", this.cooldownUntil - now, () => this.pump());
    } else {
      const usable = this.usable(now);
      while (this.waiting > 0 && this.running < usable) this.nextWaiter().start();
    }
    const demand = this.running + this.waiting;
    const wanted = Math.min(demand, this.limit);
    const mayAsk = !this.syncFailed; // after a failure only the fallback timer asks again
    if (mayAsk && this.waiting > 0 && this.held < wanted && wanted !== this.reportedWanted)
      this.requestSync();
    else if (mayAsk && this.waiting > 0 && now >= this.leaseValidUntil) this.requestSync();
    else if (this.held > demand || (this.othersWaiting && this.held > Math.max(this.share, this.running))) {
      if (this.othersWaiting) this.requestSync();
      else if (!this.timers.has("release"))
        this.arm("release", this.settings.lingerMs, () => {
          if (this.held > this.running + this.waiting) this.requestSync();
        });
    }
    if (this.held > 0 || this.waiting > 0) {
      if (!this.timers.has("heartbeat"))
        this.arm("heartbeat", this.settings.ttlMs / 3, () => {
          this.requestSync();
          this.flushTokenCorrection();
        });
    } else this.clear("heartbeat");
  }

  private nextWaiter(): Waiter {
    const [lane, queue] = this.lanes.entries().next().value as [string, Waiter[]];
    const waiter = queue.shift()!;
    this.lanes.delete(lane);
    if (queue.length > 0) this.lanes.set(lane, queue); // to the back: round robin between runs
    this.waiting -= 1;
    return waiter;
  }

  private requestSync(): void {
    if (this.closed) return;
    if (this.syncing) {
      this.resync = true;
      return;
    }
    this.clear("release");
    this.clear("fallback");
    this.syncing = true;
    // Slots used or about to be used while the answer is on its way: the grant never drops below them.
    const cap = this.othersWaiting ? Math.min(this.held, this.share) : this.held;
    this.syncKeep = Math.max(this.running, Math.min(cap, this.running + this.waiting));
    const wanted = Math.min(this.running + this.waiting, this.limit);
    this.reportedWanted = wanted;
    const startedAt = Date.now();
    this.pendingSync = this.settings.backend
      .syncLease({
        key: this.key,
        holder: this.settings.holder,
        limit: this.limit,
        wanted,
        running: this.syncKeep,
        ttlMs: this.settings.ttlMs,
      })
      .then(
        (grant) => {
          this.syncFailed = false;
          this.held = grant.slots;
          this.share = grant.share;
          this.othersWaiting = grant.othersWaiting;
          this.leaseValidUntil = startedAt + this.settings.ttlMs * 0.9;
          if (grant.cooldownMs > 0)
            this.cooldownUntil = Math.max(this.cooldownUntil, Date.now() + grant.cooldownMs);
        },
        (error: unknown) => {
          this.syncFailed = true;
          this.settings.log("warn", "could not renew the shared endpoint limit", { error: describe(error) });
        },
      )
      .finally(() => {
        this.syncing = false;
        if (this.resync) {
          this.resync = false;
          this.requestSync();
          return;
        }
        this.pump();
        if (this.waiting > 0 && this.running >= this.usable(Date.now()) && !this.syncing) {
          // Wait for a NOTIFY; ask again after a bounded, jittered wait in case it never comes.
          const wait = this.settings.fallbackMs * (0.75 + Math.random() * 0.5);
          this.arm("fallback", wait, () => {
            this.reportedWanted = -1;
            this.requestSync();
          });
        }
      });
  }

  private takeBudget(estimate: number, signal?: AbortSignal): Promise<void> {
    if (!this.requestsPerMinute && !this.tokensPerMinute) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.budgetQueue.push({ estimate, resolve, reject, signal });
      void this.drainBudget();
    });
  }

  private capacity(perMinute: number | null): number {
    return perMinute ? Math.max(1, Math.floor((perMinute * this.settings.burstMs) / 60_000)) : Infinity;
  }

  /** Takes the per-minute budget for every waiting call in one round trip (bounded by the bucket sizes). */
  private async drainBudget(): Promise<void> {
    if (this.budgetBusy) return;
    this.budgetBusy = true;
    try {
      while (this.budgetQueue.length > 0 && !this.closed) {
        for (let index = this.budgetQueue.length - 1; index >= 0; index -= 1) {
          const waiter = this.budgetQueue[index]!;
          if (waiter.signal?.aborted) {
            this.budgetQueue.splice(index, 1);
            waiter.reject(cancelled());
          }
        }
        const requestCapacity = this.capacity(this.requestsPerMinute);
        const tokenCapacity = this.capacity(this.tokensPerMinute);
        const batch: BudgetWaiter[] = [];
        let tokens = 0;
        for (const waiter of this.budgetQueue) {
          if (batch.length >= requestCapacity) break;
          if (batch.length > 0 && tokens + waiter.estimate > tokenCapacity) break;
          batch.push(waiter);
          tokens += waiter.estimate;
        }
        if (batch.length === 0) break;
        const correction = this.tokenCorrection;
        this.tokenCorrection = 0;
        let waitMs: number;
        try {
          waitMs = await this.settings.backend.takeBudget({
            key: this.key,
            requestsPerMinute: this.requestsPerMinute,
            tokensPerMinute: this.tokensPerMinute,
            requests: batch.length,
            tokens,
            tokenCorrection: correction,
            burstMs: this.settings.burstMs,
          });
        } catch (error) {
          this.tokenCorrection += correction;
          this.settings.log("warn", "could not take from the shared endpoint budget", {
            error: describe(error),
          });
          waitMs = this.settings.fallbackMs;
        }
        if (waitMs === 0) {
          this.budgetQueue.splice(0, batch.length);
          for (const waiter of batch) waiter.resolve();
        } else await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    } finally {
      this.budgetBusy = false;
    }
  }

  private flushTokenCorrection(): void {
    if (this.tokenCorrection === 0 || this.budgetQueue.length > 0) return;
    const correction = this.tokenCorrection;
    this.tokenCorrection = 0;
    this.settings.backend
      .takeBudget({
        key: this.key,
        requestsPerMinute: this.requestsPerMinute,
        tokensPerMinute: this.tokensPerMinute,
        requests: 0,
        tokens: 0,
        tokenCorrection: correction,
        burstMs: this.settings.burstMs,
      })
      .catch(() => {
        this.tokenCorrection += correction;
      });
  }

  private arm(name: "fallback" | "release" | "cooldown" | "heartbeat", ms: number, action: () => void): void {
    this.clear(name);
    const timer = setTimeout(
      () => {
        this.timers.delete(name);
        action();
      },
      Math.max(0, ms),
    );
    timer.unref();
    this.timers.set(name, timer);
  }

  private clear(name: "fallback" | "release" | "cooldown" | "heartbeat"): void {
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    this.timers.delete(name);
  }

  /** Stops timers and waiters; resolves once a lease sync already on its way has landed (it may write a lease). */
  close(): Promise<void> {
    this.closed = true;
    for (const name of [...this.timers.keys()]) this.clear(name);
    for (const queue of this.lanes.values()) for (const waiter of queue) waiter.cancel();
    this.lanes.clear();
    this.waiting = 0;
    for (const waiter of this.budgetQueue.splice(0)) waiter.reject(cancelled());
    return this.pendingSync.then(
      () => undefined,
      () => undefined,
    );
  }
}

export function createSharedLimits(options: SharedLimitsOptions): SharedLimits {
  const settings: Settings = {
    backend: options.backend,
    holder: options.holder,
    log: options.log ?? (() => undefined),
    ttlMs: options.leaseTtlMs ?? 15_000,
    fallbackMs: options.fallbackWaitMs ?? 1_000,
    lingerMs: options.lingerMs ?? 200,
    burstMs: options.burstMs ?? 10_000,
  };
  const limiters = new Map<string, SharedEndpointLimiter>();
  return {
    limiterFor(endpoint) {
      const key = endpointKey(endpoint);
      let limiter = limiters.get(key);
      if (limiter) limiter.configure(endpoint);
      else {
        limiter = new SharedEndpointLimiter(key, settings, endpoint);
        limiters.set(key, limiter);
      }
      return limiter;
    },
    onMessage(message) {
      limiters.get(message.key)?.onMessage(message);
    },
    async close() {
      // A sync answered after the release would leave a lease behind: wait for those first.
      await Promise.all([...limiters.values()].map((limiter) => limiter.close()));
      limiters.clear();
      await settings.backend.releaseHolder(settings.holder).catch((error: unknown) => {
        settings.log("warn", "could not release the shared endpoint limits", { error: describe(error) });
      });
    },
  };
}

// The shared endpoint limits on a real database: several holders (as separate processes would be) never run more
// calls than the limit together, share it fairly, get a dead holder's slots once its lease expires, and take
// per-minute budgets from one bucket.
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { getDatabaseUrl, getPool } from "@/lib/db/client";
import {
  createPgLimitsBackend,
  fairShares,
  listenForLimits,
  syncLease,
  takeBudget,
  type LimitsListener,
} from "@/lib/db/endpoint-limits";
import { createSharedLimits, type SharedLimits } from "@/lib/llm/shared-limiter";
import { useTestDatabase } from "@/test/db";
import { fakeEndpoint } from "@/test/fake-llm/endpoint";

beforeAll(() => {
  useTestDatabase();
});

const opened: Array<SharedLimits | LimitsListener> = [];
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});

let endpointCounter = 0;
function uniqueEndpoint(maxConcurrency: number) {
  endpointCounter += 1;
  return fakeEndpoint(`http://127.0.0.1:9/limits-${Date.now()}-${endpointCounter}/v1`, { maxConcurrency });
}

/** A holder as a process would have it: its own limits, fed by its own LISTEN connection. */
function openHolder(name: string, options: { leaseTtlMs?: number; fallbackWaitMs?: number } = {}) {
  const limits = createSharedLimits({
    backend: createPgLimitsBackend(getPool()),
    holder: `${name}-${Math.random().toString(36).slice(2)}`,
    ...options,
  });
  const listener = listenForLimits(getDatabaseUrl(), limits.onMessage, () => undefined);
  opened.push(limits, listener);
  return limits;
}

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

/** Tasks that stay running until the test lets them finish. */
function gatedTasks() {
  const gates: Array<() => void> = [];
  let running = 0;
  let peak = 0;
  let finished = 0;
  return {
    task: () =>
      new Promise<void>((resolve) => {
        running += 1;
        peak = Math.max(peak, running);
        gates.push(() => {
          running -= 1;
          finished += 1;
          resolve();
        });
      }),
    openOne: () => gates.shift()?.(),
    get running() {
      return running;
    },
    get peak() {
      return peak;
    },
    get finished() {
      return finished;
    },
  };
}

describe("fairShares", () => {
  it("splits the limit evenly, giving what one does not want to the others", () => {
    const even = fairShares(8, [
      { holder: "a", wanted: 8 },
      { holder: "b", wanted: 8 },
      { holder: "c", wanted: 8 },
    ]);
    expect([...even.values()].reduce((sum, share) => sum + share, 0)).toBe(8);
    expect(Math.max(...even.values()) - Math.min(...even.values())).toBeLessThanOrEqual(1);
    const uneven = fairShares(8, [
      { holder: "a", wanted: 1 },
      { holder: "b", wanted: 8 },
    ]);
    expect(uneven.get("a")).toBe(1);
    expect(uneven.get("b")).toBe(7);
  });
});

describe("shared endpoint limits", () => {
  it("never lets three holders run more than the limit together, and every call completes", async () => {
    const endpoint = uniqueEndpoint(4);
    const holders = [openHolder("a"), openHolder("b"), openHolder("c")];
    let running = 0;
    let peak = 0;
    const calls = holders.flatMap((limits, holderIndex) =>
      Array.from({ length: 30 }, (_, i) =>
        limits.limiterFor(endpoint).run(
          async () => {
            running += 1;
            peak = Math.max(peak, running);
            await new Promise((resolve) => setTimeout(resolve, 2 + ((i * 7 + holderIndex) % 5)));
            running -= 1;
            return i;
          },
          10,
          undefined,
          `run:${holderIndex}`,
        ),
      ),
    );
    const results = await Promise.all(calls);
    expect(results).toHaveLength(90);
    expect(peak).toBeLessThanOrEqual(4);
  });

  it("gives a waiting holder its fair share from a holder that has more work queued", async () => {
    const endpoint = uniqueEndpoint(4);
    const first = openHolder("first");
    const second = openHolder("second");
    const a = gatedTasks();
    const b = gatedTasks();
    const aCalls = Array.from({ length: 12 }, () => first.limiterFor(endpoint).run(a.task, 1));
    await waitUntil(() => a.running === 4, "the first holder runs 4");
    const bCalls = Array.from({ length: 12 }, () => second.limiterFor(endpoint).run(b.task, 1));
    // The first holder gives back slots as its calls finish, until both run their share of 2.
    while (b.running < 2) {
      if (a.running + b.running === 4 && a.finished < 10) a.openOne();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitUntil(() => a.running === 2, "the first holder runs its share");
    expect(a.finished).toBeLessThan(12); // the second did not wait for the first to drain
    expect(a.peak).toBeLessThanOrEqual(4);
    while (a.finished + b.finished < 24) {
      a.openOne();
      b.openOne();
      expect(a.running + b.running).toBeLessThanOrEqual(4);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all([...aCalls, ...bCalls]);
  });

  it("frees the slots of a holder that died once its lease expires", async () => {
    const endpoint = uniqueEndpoint(2);
    const key = `${endpoint.baseUrl}#${endpoint.model}`;
    // A holder that took every slot and then stopped renewing (a killed process).
    const dead = await syncLease(getPool(), {
      key,
      holder: "dead",
      limit: 2,
      wanted: 2,
      running: 2,
      ttlMs: 300,
    });
    expect(dead.slots).toBe(2);
    const alive = openHolder("alive", { fallbackWaitMs: 100 });
    const result = await alive.limiterFor(endpoint).run(async () => "ran", 1);
    expect(result).toBe("ran");
    const leases = await getPool().query<{ holder: string }>(
      `SELECT holder FROM "LlmEndpointLease" WHERE key = $1`,
      [key],
    );
    expect(leases.rows.map((row) => row.holder)).not.toContain("dead");
  });

  it("takes requests per minute from one bucket shared by every holder", async () => {
    const key = `budget-${Date.now()}`;
    const take = (holderRequests: number) =>
      takeBudget(getPool(), {
        key,
        requestsPerMinute: 60, // 1 per second, a burst of 10 with burstMs 10 s
        tokensPerMinute: null,
        requests: holderRequests,
        tokens: 0,
        tokenCorrection: 0,
        burstMs: 10_000,
      });
    expect(await take(6)).toBe(0);
    expect(await take(4)).toBe(0);
    const wait = await take(3); // the bucket is empty: about 3 s until three requests are back
    expect(wait).toBeGreaterThan(2000);
    expect(wait).toBeLessThanOrEqual(3000);
  });
});

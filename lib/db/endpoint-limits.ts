// The SQL side of the endpoint limits shared by every process on one database (lib/llm/shared-limiter.ts):
// concurrency as expiring leases with fair shares, per-minute budgets as token buckets, and the 429 cool-down,
// with NOTIFY so waiting processes wake up at once instead of polling. Times come from the database's clock, so
// machines with skewed clocks agree.
import pg from "pg";
import { withTransaction } from "@/lib/db/sql";
import type {
  BudgetRequest,
  LeaseGrant,
  LeaseRequest,
  LimitsMessage,
  SharedLimitsBackend,
} from "@/lib/llm/shared-limiter";

export const limitsChannel = "codeclm_llm_limits";

interface Member {
  holder: string;
  slots: number;
  wanted: number;
}

/** Max-min fair shares of `limit` (water-filling): nobody gets more than it wants, the rest is split evenly. */
export function fairShares(
  limit: number,
  members: { holder: string; wanted: number }[],
): Map<string, number> {
  const sorted = [...members].sort((a, b) => a.wanted - b.wanted || a.holder.localeCompare(b.holder));
  const shares = new Map<string, number>();
  let remaining = limit;
  sorted.forEach((member, index) => {
    const even = Math.ceil(remaining / (sorted.length - index));
    const share = Math.max(0, Math.min(member.wanted, even));
    shares.set(member.holder, share);
    remaining -= share;
  });
  return shares;
}

/** Records this holder's demand, renews its lease, and grows or shrinks its slots toward its fair share. */
export async function syncLease(pool: pg.Pool, request: LeaseRequest): Promise<LeaseGrant> {
  return withTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 14))`, [request.key]);
    const rows = await client.query<Member>(
      `WITH expired AS (DELETE FROM "LlmEndpointLease" WHERE key = $1 AND "expiresAt" < clock_timestamp())
       SELECT holder, slots, wanted FROM "LlmEndpointLease" WHERE key = $1 AND "expiresAt" >= clock_timestamp()`,
      [request.key],
    );
    const mine = rows.rows.find((row) => row.holder === request.holder) ?? {
      holder: request.holder,
      slots: 0,
      wanted: 0,
    };
    const others = rows.rows.filter((row) => row.holder !== request.holder);
    const wanted = Math.max(request.running, Math.min(request.wanted, request.limit));
    const heldByOthers = others.reduce((sum, row) => sum + row.slots, 0);
    const free = Math.max(0, request.limit - heldByOthers - mine.slots);
    const shares = fairShares(request.limit, [
      ...others.filter((row) => row.wanted > 0),
      { holder: request.holder, wanted },
    ]);
    const share = shares.get(request.holder) ?? 0;
    const slots = Math.max(request.running, Math.min(share, mine.slots + free));
    const othersWaiting = others.some((row) => row.wanted > row.slots);
    const released = slots < mine.slots;
    const startedWaiting = wanted > slots && !(mine.wanted > mine.slots);
    const message: LimitsMessage = { key: request.key, kind: "lease" };
    const result = await client.query<{ cooldown_ms: number | null }>(
      `WITH upsert AS (
         INSERT INTO "LlmEndpointLease" (key, holder, slots, wanted, "expiresAt")
         SELECT $1, $2, $3, $4, clock_timestamp() + make_interval(secs => $5::float8 / 1000) WHERE $3 > 0 OR $4 > 0
         ON CONFLICT (key, holder) DO UPDATE
           SET slots = EXCLUDED.slots, wanted = EXCLUDED.wanted, "expiresAt" = EXCLUDED."expiresAt"
       ), removed AS (
         DELETE FROM "LlmEndpointLease" WHERE key = $1 AND holder = $2 AND $3 = 0 AND $4 = 0
       )
       SELECT (SELECT greatest(0, extract(epoch FROM "cooldownUntil" - clock_timestamp()) * 1000)::float8
                 FROM "LlmEndpointBudget" WHERE key = $1) AS cooldown_ms,
              CASE WHEN $6 THEN pg_notify($7, $8) END AS notified`,
      [
        request.key,
        request.holder,
        slots,
        wanted,
        request.ttlMs,
        released || startedWaiting,
        limitsChannel,
        JSON.stringify(message),
      ],
    );
    return { slots, share, othersWaiting, cooldownMs: Math.ceil(result.rows[0]?.cooldown_ms ?? 0) };
  });
}

/** Drops every lease of a holder that stops (its slots go to the others at once). */
export async function releaseHolder(pool: pg.Pool, holder: string): Promise<void> {
  await pool.query(
    // Every row of the holder goes, also a waiting one with no slots (it would count as a waiter until expiry);
    // only freed slots are worth a wake-up.
    `WITH gone AS (DELETE FROM "LlmEndpointLease" WHERE holder = $1 RETURNING key, slots)
     SELECT pg_notify($2, json_build_object('key', key, 'kind', 'lease')::text) FROM gone WHERE slots > 0`,
    [holder, limitsChannel],
  );
}

const capacityOf = (perMinute: number, burstMs: number) =>
  Math.max(1, Math.floor((perMinute * burstMs) / 60_000));

/**
 * Takes requests and tokens from the endpoint's shared buckets: 0 when granted, else the milliseconds until the
 * buckets hold enough (nothing is taken then). The token bucket may go into debt after a correction, like a
 * provider's own counter.
 */
export async function takeBudget(pool: pg.Pool, request: BudgetRequest): Promise<number> {
  return withTransaction(pool, async (client) => {
    await client.query(
      `INSERT INTO "LlmEndpointBudget" (key, "updatedAt") VALUES ($1, clock_timestamp()) ON CONFLICT (key) DO NOTHING`,
      [request.key],
    );
    const row = (
      await client.query<{ request_level: number | null; token_level: number | null; elapsed_ms: number }>(
        `SELECT "requestLevel" AS request_level, "tokenLevel" AS token_level,
                greatest(0, extract(epoch FROM clock_timestamp() - "updatedAt") * 1000)::float8 AS elapsed_ms
         FROM "LlmEndpointBudget" WHERE key = $1 FOR UPDATE`,
        [request.key],
      )
    ).rows[0]!;
    const refill = (perMinute: number | null, level: number | null) => {
      if (!perMinute) return null;
      const capacity = capacityOf(perMinute, request.burstMs);
      return {
        capacity,
        perMs: perMinute / 60_000,
        level: Math.min(capacity, (level ?? capacity) + row.elapsed_ms * (perMinute / 60_000)),
      };
    };
    const requests = refill(request.requestsPerMinute, row.request_level);
    const tokens = refill(request.tokensPerMinute, row.token_level);
    if (tokens) tokens.level -= request.tokenCorrection;
    let waitMs = 0;
    const needRequests = requests ? Math.min(request.requests, requests.capacity) : 0;
    const needTokens = tokens ? Math.min(Math.max(0, request.tokens), tokens.capacity) : 0;
    if (requests && requests.level < needRequests)
      waitMs = Math.max(waitMs, (needRequests - requests.level) / requests.perMs);
    if (tokens && tokens.level < needTokens)
      waitMs = Math.max(waitMs, (needTokens - tokens.level) / tokens.perMs);
    if (waitMs === 0) {
      if (requests) requests.level -= needRequests;
      if (tokens) tokens.level -= needTokens;
    }
    await client.query(
      `UPDATE "LlmEndpointBudget" SET "requestLevel" = $2, "tokenLevel" = $3, "updatedAt" = clock_timestamp() WHERE key = $1`,
      [request.key, requests?.level ?? null, tokens?.level ?? null],
    );
    return Math.ceil(waitMs);
  });
}

/** A 429: every process holds back new calls to the endpoint for `ms`. */
export async function coolDownEndpoint(pool: pg.Pool, key: string, ms: number): Promise<void> {
  const message: LimitsMessage = { key, kind: "cooldown", ms };
  await pool.query(
    `WITH upsert AS (
       INSERT INTO "LlmEndpointBudget" (key, "updatedAt", "cooldownUntil")
       VALUES ($1, clock_timestamp(), clock_timestamp() + make_interval(secs => $2::float8 / 1000))
       ON CONFLICT (key) DO UPDATE SET "cooldownUntil" = greatest(
         "LlmEndpointBudget"."cooldownUntil", EXCLUDED."cooldownUntil")
     )
     SELECT pg_notify($3, $4)`,
    [key, ms, limitsChannel, JSON.stringify(message)],
  );
}

export interface LimitsListener {
  close(): Promise<void>;
}

/**
 * LISTENs on one dedicated connection and reconnects after a drop (messages missed meanwhile are covered by the
 * limiter's bounded fallback wait).
 */
export function listenForLimits(
  connectionString: string,
  onMessage: (message: LimitsMessage) => void,
  onError: (error: Error) => void,
): LimitsListener {
  let client: pg.Client | null = null;
  let closed = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;

  const connect = async () => {
    const next = new pg.Client({ connectionString, application_name: "codeclm-limits" });
    next.on("notification", (notification) => {
      if (!notification.payload) return;
      try {
        onMessage(JSON.parse(notification.payload) as LimitsMessage);
      } catch {
        // not ours
      }
    });
    next.on("error", (error) => {
      onError(error);
      scheduleReconnect(next);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${limitsChannel}`);
      if (closed) await next.end();
      else client = next;
    } catch (error) {
      onError(error instanceof Error ? error : new Error(String(error)));
      scheduleReconnect(next);
    }
  };
  const scheduleReconnect = (failed: pg.Client) => {
    if (client === failed) client = null;
    void failed.end().catch(() => undefined);
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void connect();
    }, 1000);
    retryTimer.unref();
  };
  void connect();
  return {
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      const current = client;
      client = null;
      await current?.end().catch(() => undefined);
    },
  };
}

/** The shared limiter's backend on a pool. */
export function createPgLimitsBackend(pool: pg.Pool): SharedLimitsBackend {
  return {
    syncLease: (request) => syncLease(pool, request),
    takeBudget: (request) => takeBudget(pool, request),
    coolDown: (key, ms) => coolDownEndpoint(pool, key, ms),
    releaseHolder: (holder) => releaseHolder(pool, holder),
  };
}

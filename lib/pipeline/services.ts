// What the pipeline needs in a process, made once: the pg pool, Prisma, the queue (pg-boss), the LLM gateway with
// its PostgreSQL cache and call log, and the run cache. Server actions, workers, the CLI and tests share it.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type PgBoss from "pg-boss";
import pg from "pg";
import { getDatabaseUrl, getDb, getPool, type Db } from "@/lib/db/client";
import { createAdaptationStore } from "@/lib/db/endpoint-adaptations";
import { createPgLimitsBackend, listenForLimits, type LimitsListener } from "@/lib/db/endpoint-limits";
import { createBatchedLlmStore } from "@/lib/db/llm-store-batched";
import { env } from "@/lib/env";
import { openQueue } from "@/lib/jobs/queue";
import { createLlmGateway, type LlmGateway } from "@/lib/llm/gateway";
import { createSharedLimits, type SharedLimits } from "@/lib/llm/shared-limiter";
import type { LlmLog } from "@/lib/llm/types";
import { createRunCache, type RunCache } from "@/lib/pipeline/run-cache";

export type LogLevel = "debug" | "info" | "warn" | "error";
export type PipelineLog = (level: LogLevel, message: string, fields?: Record<string, unknown>) => void;

export interface PipelineSettings {
  /** Seconds a job may stay active before another worker gets it (crash recovery). */
  expireSeconds: number;
  maintenanceSeconds?: number;
  /** How often a worker checks its live runs for stalled work. */
  superviseSeconds: number;
  /** Queue jobs one worker process runs at once. */
  concurrency: number;
  log: PipelineLog;
}

export interface PipelineServices {
  settings: PipelineSettings;
  pool: pg.Pool;
  /**
   * Connections with synchronous_commit off, for the hot writes of every LLM call and version (call cache, call log,
   * version outcomes). A commit returns before its WAL flush; the WAL writer flushes within ~200 ms, and any later
   * synchronous commit (a job's completion) flushes it first. Only a crash of PostgreSQL itself can lose those last
   * milliseconds: cached answers get paid again and, by WAL order, their jobs were not completed either, so they rerun.
   */
  asyncCommitPool: pg.Pool;
  db: Db;
  boss: PgBoss;
  gateway: LlmGateway;
  /** Endpoint limits held across every process on this database. */
  limits: SharedLimits;
  limitsListener: LimitsListener;
  runs: RunCache;
  log: PipelineLog;
  /** Tells this process's worker (if any) that there is new work. */
  wake(): void;
}

const levels: Record<LogLevel | "silent", number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function consoleLog(minimum: LogLevel | "silent" = env.LOG_LEVEL): PipelineLog {
  return (level, message, fields) => {
    if (levels[level] < levels[minimum]) return;
    const suffix = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    const line = `[codeclm ${level}] ${message}${suffix}`;
    if (level === "error" || level === "warn") console.error(line);
    else console.log(line);
  };
}

interface ServicesState {
  overrides: Partial<PipelineSettings>;
  services?: Promise<PipelineServices>;
  wakers: Set<() => void>;
}
// One per process; survives Next's dev reloads.
const globals = globalThis as typeof globalThis & { __codeclmPipeline?: ServicesState };
const state: ServicesState = (globals.__codeclmPipeline ??= { overrides: {}, wakers: new Set() });

/** Settings for this process (tests, CLI, benchmarks), before the services are first used. */
export function configurePipeline(overrides: Partial<PipelineSettings>): void {
  if (state.services) throw new Error("configurePipeline must be called before the pipeline services start");
  state.overrides = { ...state.overrides, ...overrides };
}

export function pipelineSettings(): PipelineSettings {
  return {
    expireSeconds: env.CODECLM_JOB_EXPIRE_SECONDS,
    maintenanceSeconds: env.CODECLM_QUEUE_MAINTENANCE_SECONDS,
    superviseSeconds: env.CODECLM_SUPERVISE_SECONDS,
    concurrency: env.CODECLM_WORKER_CONCURRENCY,
    log: consoleLog(),
    ...state.overrides,
  };
}

async function createServices(): Promise<PipelineServices> {
  const settings = pipelineSettings();
  const { log } = settings;
  const pool = getPool();
  // An idle connection dropped by the server (restart, failover) must not take the worker down with it.
  if (pool.listenerCount("error") === 0)
    pool.on("error", (error) => log("warn", "database connection lost", { error: error.message }));
  const db = getDb();
  const boss = await openQueue(
    {
      connectionString: getDatabaseUrl(),
      expireSeconds: settings.expireSeconds,
      maintenanceSeconds: settings.maintenanceSeconds,
    },
    (error) => log("warn", "queue error", { error: error.message }),
  );
  const llmLog: LlmLog = (level, message, fields) => log(level === "info" ? "debug" : level, message, fields);
  const asyncCommitPool = new pg.Pool({
    connectionString: getDatabaseUrl(),
    max: 10,
    application_name: "codeclm-pipeline",
    options: "-c synchronous_commit=off", // a startup parameter: no extra statement per connection
  });
  asyncCommitPool.on("error", (error) => log("warn", "database connection lost", { error: error.message }));
  const limits = createSharedLimits({
    backend: createPgLimitsBackend(pool),
    holder: `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    log: llmLog,
    leaseTtlMs: env.CODECLM_LIMIT_LEASE_SECONDS * 1000,
  });
  const limitsListener = listenForLimits(getDatabaseUrl(), limits.onMessage, (error) =>
    log("warn", "endpoint limits listener lost its connection", { error: error.message }),
  );
  const gateway = createLlmGateway({
    store: createBatchedLlmStore(asyncCommitPool),
    adaptations: createAdaptationStore(pool),
    log: llmLog,
    limiterFor: limits.limiterFor,
  });
  return {
    settings,
    pool,
    asyncCommitPool,
    db,
    boss,
    gateway,
    limits,
    limitsListener,
    runs: createRunCache(pool),
    log,
    wake: () => {
      for (const wake of state.wakers) wake();
    },
  };
}

export function getPipelineServices(): Promise<PipelineServices> {
  if (!state.services) {
    state.services = createServices();
    // A failed start (database down) is retried on the next call instead of being cached.
    state.services.catch(() => {
      state.services = undefined;
    });
  }
  return state.services;
}

/** Registers a worker's wake function; returns the unregister function. */
export function registerWaker(wake: () => void): () => void {
  state.wakers.add(wake);
  return () => state.wakers.delete(wake);
}

/** Stops the queue client and the pipeline's own connections (after the workers stopped). closeDb() closes the rest. */
export async function closePipelineServices(): Promise<void> {
  const pending = state.services;
  state.services = undefined;
  if (!pending) return;
  const services = await pending.catch(() => null);
  await services?.boss.stop({ graceful: false, close: true, timeout: 1000 }).catch(() => undefined);
  await services?.limits.close();
  await services?.limitsListener.close();
  await services?.asyncCommitPool.end().catch(() => undefined);
}

// Per-process cache of the runs a worker is working on: the frozen config is parsed once per generation and the
// state is re-read at most every ttlMs, so "is the run still going?" before each LLM call costs almost nothing.
// Each run also has an abort signal its jobs listen to: once the run is seen to have stopped running (target
// reached, cancelled, failed), its in-flight calls in this process are aborted.
import { setMaxListeners } from "node:events";
import { findRun, getRunStatus, type RunState } from "@/lib/db/runs";
import type { Queryable } from "@/lib/db/sql";
import { parseRunConfig, type RunConfig } from "@/lib/pipeline/run-config";

export interface RunContext {
  id: number;
  projectId: number;
  randomSeed: number;
  generation: number;
  state: RunState;
  config: RunConfig;
}

export interface RunCache {
  get(runId: number, options?: { fresh?: boolean }): Promise<RunContext | null>;
  /** Forget what is known (after this process changed the run's state). */
  invalidate(runId: number): void;
  /** Aborts when the run stops running (seen by this process); jobs combine it with their own signal. */
  signalFor(runId: number): AbortSignal;
  /** Aborts the run's in-flight work in this process now. */
  abort(runId: number): void;
  /** Re-reads every run with in-flight work here, aborting the ones that stopped (the supervisor, every second). */
  refreshTracked(): Promise<void>;
}

export function createRunCache(q: Queryable, ttlMs = 500): RunCache {
  const entries = new Map<number, { run: RunContext; checkedAt: number }>();
  const loading = new Map<number, Promise<RunContext | null>>();
  const controllers = new Map<number, AbortController>();

  const abort = (runId: number) => {
    const controller = controllers.get(runId);
    controllers.delete(runId);
    controller?.abort(new Error(`Run ${runId} stopped running`));
  };

  async function load(runId: number): Promise<RunContext | null> {
    const run = await read(runId);
    if (!run || run.state !== "running") abort(runId);
    return run;
  }

  async function read(runId: number): Promise<RunContext | null> {
    const cached = entries.get(runId);
    if (cached) {
      const status = await getRunStatus(q, runId);
      if (!status) {
        entries.delete(runId);
        return null;
      }
      if (status.generation === cached.run.generation) {
        const run = { ...cached.run, state: status.state };
        entries.set(runId, { run, checkedAt: Date.now() });
        return run;
      }
    }
    const row = await findRun(q, runId);
    if (!row) {
      entries.delete(runId);
      return null;
    }
    const run: RunContext = {
      id: row.id,
      projectId: row.projectId,
      randomSeed: row.randomSeed,
      generation: row.generation,
      state: row.state,
      config: parseRunConfig(row.configSnapshot),
    };
    entries.set(runId, { run, checkedAt: Date.now() });
    return run;
  }

  return {
    async get(runId, options = {}) {
      const cached = entries.get(runId);
      if (cached && !options.fresh && Date.now() - cached.checkedAt < ttlMs) return cached.run;
      let pending = loading.get(runId);
      if (!pending) {
        pending = load(runId).finally(() => loading.delete(runId));
        loading.set(runId, pending);
      }
      return pending;
    },
    invalidate(runId) {
      const cached = entries.get(runId);
      if (cached) entries.set(runId, { ...cached, checkedAt: 0 });
    },
    signalFor(runId) {
      let controller = controllers.get(runId);
      if (!controller) {
        controller = new AbortController();
        setMaxListeners(0, controller.signal); // every job of the run listens
        controllers.set(runId, controller);
      }
      return controller.signal;
    },
    abort,
    async refreshTracked() {
      await Promise.all([...controllers.keys()].map((runId) => this.get(runId, { fresh: true })));
    },
  };
}

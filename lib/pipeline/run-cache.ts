// Per-process cache of the runs a worker is working on: the frozen config is parsed once per generation and the
// state is re-read at most every ttlMs, so "is the run still going?" before each LLM call costs almost nothing.
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
}

export function createRunCache(q: Queryable, ttlMs = 500): RunCache {
  const entries = new Map<number, { run: RunContext; checkedAt: number }>();
  const loading = new Map<number, Promise<RunContext | null>>();

  async function load(runId: number): Promise<RunContext | null> {
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
  };
}

// An in-memory LlmStore for unit tests and throwaway scripts; the real one is lib/db/llm-store-batched.ts.
import type { LlmCacheEntryData, LlmCallRow, LlmStore } from "@/lib/llm/types";

export interface MemoryLlmStore extends LlmStore {
  readonly cache: Map<string, LlmCacheEntryData>;
  readonly calls: (LlmCallRow & { id: number })[];
}

export function createMemoryLlmStore(): MemoryLlmStore {
  const cache = new Map<string, LlmCacheEntryData>();
  const calls: (LlmCallRow & { id: number })[] = [];
  return {
    cache,
    calls,
    async getCached(fingerprint) {
      return cache.get(fingerprint) ?? null;
    },
    async putCached(entry) {
      // First writer wins, like the database's ON CONFLICT DO NOTHING.
      if (!cache.has(entry.fingerprint)) cache.set(entry.fingerprint, { ...entry });
    },
    async recordCall(row) {
      const id = calls.length + 1;
      calls.push({ ...row, id });
      return id;
    },
  };
}

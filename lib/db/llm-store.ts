// The gateway's cache and call log in PostgreSQL (LlmCacheEntry, LlmCall).
import type { DbOrTx } from "@/lib/db/client";
import type { LlmCacheEntryData, LlmStore } from "@/lib/llm/types";

export function createPrismaLlmStore(db: DbOrTx): LlmStore {
  return {
    async getCached(fingerprint): Promise<LlmCacheEntryData | null> {
      return db.llmCacheEntry.findUnique({
        where: { fingerprint },
        select: {
          fingerprint: true,
          model: true,
          promptVersion: true,
          content: true,
          promptTokens: true,
          completionTokens: true,
        },
      });
    },
    async putCached(entry) {
      // Two workers can finish the same request; the first answer stays (ON CONFLICT DO NOTHING).
      await db.llmCacheEntry.createMany({ data: [entry], skipDuplicates: true });
    },
    async recordCall(row) {
      const created = await db.llmCall.create({ data: row, select: { id: true } });
      return created.id;
    },
  };
}

// The gateway's cache and call log in PostgreSQL (LlmCacheEntry, LlmCall), in raw SQL with
// micro-batching: concurrent lookups, cache writes and call records share statements. Used by the pipeline
// workers, where hundreds of calls per second would otherwise mean three round trips each.
import type { Queryable } from "@/lib/db/sql";
import { createMicroBatcher } from "@/lib/db/micro-batch";
import type { LlmCacheEntryData, LlmCallRow, LlmStore } from "@/lib/llm/types";

export function createBatchedLlmStore(q: Queryable, options: { maxDelayMs?: number } = {}): LlmStore {
  const lookups = createMicroBatcher<string, LlmCacheEntryData | null>(async (fingerprints) => {
    const result = await q.query<LlmCacheEntryData>(
      `SELECT fingerprint, model, "promptVersion", content, "promptTokens", "completionTokens"
       FROM "LlmCacheEntry" WHERE fingerprint = ANY($1::text[])`,
      [[...new Set(fingerprints)]],
    );
    const byFingerprint = new Map(result.rows.map((row) => [row.fingerprint, row]));
    return fingerprints.map((fingerprint) => byFingerprint.get(fingerprint) ?? null);
  }, options);

  const cacheWrites = createMicroBatcher<LlmCacheEntryData, void>(async (entries) => {
    // The first answer stays when two workers store the same request (ON CONFLICT DO NOTHING).
    await q.query(
      `INSERT INTO "LlmCacheEntry" (fingerprint, model, "promptVersion", content, "promptTokens", "completionTokens")
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::int[])
       ON CONFLICT (fingerprint) DO NOTHING`,
      [
        entries.map((entry) => entry.fingerprint),
        entries.map((entry) => entry.model),
        entries.map((entry) => entry.promptVersion),
        entries.map((entry) => entry.content),
        entries.map((entry) => entry.promptTokens),
        entries.map((entry) => entry.completionTokens),
      ],
    );
    return entries.map(() => undefined);
  }, options);

  const callRecords = createMicroBatcher<LlmCallRow, number>(async (rows) => {
    // Ids are drawn first (a CTE with nextval is evaluated once), so each caller gets its own row's id. They come
    // back in input order: ORDER BY the bigint ordinality itself (ordering by a text alias once put 10 before 2).
    const column = <K extends keyof LlmCallRow>(key: K) => rows.map((row) => row[key]);
    const result = await q.query<{ id: number }>(
      `WITH input AS (
         SELECT nextval(pg_get_serial_sequence('"LlmCall"', 'id'))::int AS id, t.*
         FROM unnest($1::int[], $2::int[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                     $10::int[], $11::int[], $12::int[], $13::float8[], $14::int[], $15::text[], $16::text[])
           WITH ORDINALITY AS t("projectId", "runId", "evaluationId", fingerprint, role, "baseUrl", model, "promptName",
                                "promptVersion", "promptTokens", "completionTokens", "latencyMs", "costUsd", attempts, status, error, ord)
       ), inserted AS (
         INSERT INTO "LlmCall" (id, "projectId", "runId", "evaluationId", fingerprint, role, "baseUrl", model, "promptName",
           "promptVersion", "promptTokens", "completionTokens", "latencyMs", "costUsd", attempts, status, error)
         SELECT id, "projectId", "runId", "evaluationId", fingerprint, role::"EndpointRole", "baseUrl", model, "promptName",
           "promptVersion", "promptTokens", "completionTokens", "latencyMs", "costUsd", attempts, status::"LlmCallStatus", error
         FROM input
       )
       SELECT input.id FROM input ORDER BY input.ord`,
      [
        column("projectId"),
        column("runId"),
        column("evaluationId"),
        column("fingerprint"),
        column("role"),
        column("baseUrl"),
        column("model"),
        column("promptName"),
        column("promptVersion"),
        column("promptTokens"),
        column("completionTokens"),
        column("latencyMs"),
        column("costUsd"),
        column("attempts"),
        column("status"),
        column("error"),
      ],
    );
    return result.rows.map((row) => row.id);
  }, options);

  return {
    getCached: (fingerprint) => lookups.add(fingerprint),
    putCached: (entry) => cacheWrites.add(entry),
    recordCall: (row) => callRecords.add(row),
  };
}

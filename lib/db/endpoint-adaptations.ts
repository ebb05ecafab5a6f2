// What servers refused and how the gateway adapts to them (EndpointAdaptation), per base URL and model: learned
// by one worker or connection test, used by every later call in any process, and shown on the Models page.
import type { Queryable } from "@/lib/db/sql";
import {
  noAdaptations,
  parseAdaptations,
  type AdaptationStore,
  type EndpointAdaptations,
} from "@/lib/llm/adaptations";
import { normalizeBaseUrl } from "@/lib/llm/fingerprint";

export function createAdaptationStore(q: Queryable): AdaptationStore {
  return {
    async load(key) {
      const result = await q.query<{ adaptations: unknown }>(
        `SELECT adaptations FROM "EndpointAdaptation" WHERE "baseUrl" = $1 AND model = $2`,
        [key.baseUrl, key.model],
      );
      return result.rows[0] ? parseAdaptations(result.rows[0].adaptations) : noAdaptations;
    },
    async save(key, adaptations) {
      await q.query(
        `INSERT INTO "EndpointAdaptation" ("baseUrl", model, adaptations, "updatedAt")
         VALUES ($1, $2, $3::jsonb, now())
         ON CONFLICT ("baseUrl", model) DO UPDATE SET adaptations = EXCLUDED.adaptations, "updatedAt" = now()`,
        [key.baseUrl, key.model, JSON.stringify(adaptations)],
      );
    },
  };
}

/** The adaptations known for each of these endpoints, keyed like the endpoints ("baseUrl#model"). */
export async function listAdaptations(
  q: Queryable,
  endpoints: { baseUrl: string; model: string }[],
): Promise<Map<string, EndpointAdaptations>> {
  const found = new Map<string, EndpointAdaptations>();
  if (endpoints.length === 0) return found;
  const urls = endpoints.map((endpoint) => normalizeBaseUrl(endpoint.baseUrl));
  const result = await q.query<{ baseUrl: string; model: string; adaptations: unknown }>(
    `SELECT "baseUrl", model, adaptations FROM "EndpointAdaptation"
     WHERE ("baseUrl", model) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
    [urls, endpoints.map((endpoint) => endpoint.model)],
  );
  for (const row of result.rows) found.set(`${row.baseUrl}#${row.model}`, parseAdaptations(row.adaptations));
  return found;
}

/** Forgets what was learned about a server and model (after the server was upgraded or reconfigured). */
export async function clearAdaptations(q: Queryable, key: { baseUrl: string; model: string }): Promise<void> {
  await q.query(`DELETE FROM "EndpointAdaptation" WHERE "baseUrl" = $1 AND model = $2`, [
    normalizeBaseUrl(key.baseUrl),
    key.model,
  ]);
}

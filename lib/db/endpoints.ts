// A project's model endpoints (one per role: strong, target, optional judge). Only the API key's env var name
// is stored, never the key.
import type { DbOrTx } from "@/lib/db/client";
import { getProjectOrThrow } from "@/lib/db/projects";
import { AppError } from "@/lib/errors";
import type { Endpoint } from "@/lib/generated/prisma/client";
import type { EndpointConfig, EndpointRole } from "@/lib/llm/types";
import type { EndpointInput } from "@/lib/schemas/endpoint";

export type ProjectEndpoints = Partial<Record<EndpointRole, EndpointConfig>>;

const roleOrder: Record<EndpointRole, number> = { strong: 0, target: 1, judge: 2 };

export function toEndpointConfig(row: Endpoint): EndpointConfig {
  return {
    role: row.role,
    baseUrl: row.baseUrl,
    model: row.model,
    apiKeyEnv: row.apiKeyEnv,
    maxConcurrency: row.maxConcurrency,
    requestsPerMinute: row.requestsPerMinute,
    tokensPerMinute: row.tokensPerMinute,
    temperature: row.temperature,
    maxTokens: row.maxTokens,
    priceInputPerMTok: row.priceInputPerMTok,
    priceOutputPerMTok: row.priceOutputPerMTok,
    structuredOutputMode: row.structuredOutputMode,
    timeoutMs: row.timeoutMs,
    tokenLimitParam: row.tokenLimitParam,
    reasoningEffort: row.reasoningEffort,
  };
}

/** The project's endpoints, strong → target → judge. */
export async function listEndpoints(db: DbOrTx, projectId: number): Promise<Endpoint[]> {
  const rows = await db.endpoint.findMany({ where: { projectId } });
  return rows.sort((a, b) => roleOrder[a.role] - roleOrder[b.role]);
}

/** The endpoints the pipeline calls, by role; a role not configured is absent. */
export async function getProjectEndpoints(db: DbOrTx, projectId: number): Promise<ProjectEndpoints> {
  const endpoints: ProjectEndpoints = {};
  for (const row of await listEndpoints(db, projectId)) endpoints[row.role] = toEndpointConfig(row);
  return endpoints;
}

/** Creates or replaces the endpoint of `input.role` for the project. */
export async function upsertEndpoint(
  db: DbOrTx,
  options: { projectId: number; endpoint: EndpointInput },
): Promise<Endpoint> {
  await getProjectOrThrow(db, options.projectId);
  const { role, ...fields } = options.endpoint;
  return db.endpoint.upsert({
    where: { projectId_role: { projectId: options.projectId, role } },
    create: { projectId: options.projectId, role, ...fields },
    update: fields,
  });
}

/** Removes the project's endpoint of that role; not_found when there is none. */
export async function removeEndpoint(
  db: DbOrTx,
  options: { projectId: number; role: EndpointRole },
): Promise<void> {
  const deleted = await db.endpoint.deleteMany({
    where: { projectId: options.projectId, role: options.role },
  });
  if (deleted.count === 0) {
    throw new AppError("not_found", `This project has no ${options.role} endpoint to remove`);
  }
}

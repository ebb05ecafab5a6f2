"use server";

import { z } from "zod";
import { connectionProbes } from "@/lib/codeclm/connection-probes";
import { getDb, getPool } from "@/lib/db/client";
import { createAdaptationStore } from "@/lib/db/endpoint-adaptations";
import { removeEndpoint, upsertEndpoint } from "@/lib/db/endpoints";
import { getProjectSettings } from "@/lib/db/project-settings";
import { runAction, type ActionResult } from "@/lib/errors";
import { assertAllowedKeyVariable } from "@/lib/llm/key-variable";
import { testConnection, type ConnectionCheck } from "@/lib/llm/test-connection";
import { endpointRoleSchema, saveEndpointSchema } from "@/lib/schemas/endpoint";
import { parseInputOrThrow } from "@/lib/schemas/form-errors";
import { toEndpointView, type EndpointView } from "./endpoint-view";

// A connection test is interactive: it should answer (or give up) within seconds, whatever the run timeout is.
const testTimeoutMs = 30_000;

export async function saveEndpointAction(input: unknown): Promise<ActionResult<EndpointView>> {
  return runAction(async () => {
    const data = parseInputOrThrow(saveEndpointSchema, input);
    assertAllowedKeyVariable(data.endpoint.apiKeyEnv, "endpoint.apiKeyEnv");
    return toEndpointView(await upsertEndpoint(getDb(), data));
  });
}

/** Tests the form's current values (saved or not), so a URL or model can be checked before saving. */
export async function testEndpointAction(input: unknown): Promise<ActionResult<ConnectionCheck>> {
  return runAction(async () => {
    const { projectId, endpoint } = parseInputOrThrow(saveEndpointSchema, input);
    assertAllowedKeyVariable(endpoint.apiKeyEnv, "endpoint.apiKeyEnv");
    const { settings } = await getProjectSettings(getDb(), projectId);
    // The calls a run makes in this role, with the project's method temperature and rubric counts.
    const probes = connectionProbes(endpoint.role, {
      methodTemperature: settings.temperature,
      rubricCount: settings.rubricCount,
      actionCount: settings.actionCount,
    });
    return testConnection(
      { ...endpoint, timeoutMs: Math.min(endpoint.timeoutMs, testTimeoutMs) },
      { probes, adaptations: createAdaptationStore(getPool()) },
    );
  });
}

const removeSchema = endpointRoleSchema.extend({
  role: z.literal("judge", {
    error: "Only the judge can be removed: the strong and target models are both needed",
  }),
});

export async function removeEndpointAction(input: unknown): Promise<ActionResult<null>> {
  return runAction(async () => {
    const data = parseInputOrThrow(removeSchema, input);
    await removeEndpoint(getDb(), data);
    return null;
  });
}

"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { removeEndpoint, upsertEndpoint } from "@/lib/db/endpoints";
import { getProjectOrThrow } from "@/lib/db/projects";
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
    await getProjectOrThrow(getDb(), projectId);
    return testConnection({ ...endpoint, timeoutMs: Math.min(endpoint.timeoutMs, testTimeoutMs) });
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

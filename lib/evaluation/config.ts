// What an evaluation calls, frozen at its start (Evaluation.configSnapshot): the target, the reference (by
// default the project's strong model) and the judge (by default the reference), without keys. Resolving the
// page's choices (a project endpoint by role, or a custom URL + model) into endpoints happens here too.
import { z } from "zod";
import type { ProjectEndpoints } from "@/lib/db/endpoints";
import { AppError } from "@/lib/errors";
import type { EndpointConfig, EndpointRole } from "@/lib/llm/types";
import { runEndpointsSchema, snapshotEndpoint } from "@/lib/pipeline/run-config";
import type { EndpointChoice } from "@/lib/schemas/evaluation";

/** The pipeline's endpoint snapshot shape (no key, only its variable's name). */
const endpointSnapshotSchema = runEndpointsSchema.shape.strong;

export const evaluationConfigSchema = z.object({
  version: z.literal(1),
  target: endpointSnapshotSchema,
  reference: endpointSnapshotSchema,
  /** null: the reference endpoint judges. */
  judge: endpointSnapshotSchema.nullable(),
});
export type EvaluationConfig = z.infer<typeof evaluationConfigSchema>;

export type EvaluationRole = "target" | "reference" | "judge";

/** The call log's role per evaluation role: the reference plays the strong model. */
const logRole: Record<EvaluationRole, EndpointRole> = {
  target: "target",
  reference: "strong",
  judge: "judge",
};

/** Defaults for a custom endpoint typed into the form or given to the CLI (those of a new project endpoint). */
export function customEndpoint(
  role: EndpointRole,
  settings: Pick<EndpointConfig, "baseUrl" | "model"> & Partial<EndpointConfig>,
): EndpointConfig {
  return {
    apiKeyEnv: null,
    maxConcurrency: 8,
    requestsPerMinute: null,
    tokensPerMinute: null,
    temperature: null,
    maxTokens: 2048,
    priceInputPerMTok: 0,
    priceOutputPerMTok: 0,
    structuredOutputMode: "json_schema",
    timeoutMs: 120_000,
    ...settings,
    baseUrl: settings.baseUrl.trim().replace(/\/+$/, ""),
    role,
  };
}

export function buildEvaluationConfig(endpoints: {
  target: EndpointConfig;
  reference: EndpointConfig;
  judge?: EndpointConfig | null;
}): EvaluationConfig {
  return evaluationConfigSchema.parse({
    version: 1,
    target: snapshotEndpoint({ ...endpoints.target, role: "target" }),
    reference: snapshotEndpoint({ ...endpoints.reference, role: "strong" }),
    judge: endpoints.judge ? snapshotEndpoint({ ...endpoints.judge, role: "judge" }) : null,
  });
}

export function parseEvaluationConfig(value: unknown): EvaluationConfig {
  return evaluationConfigSchema.parse(value);
}

/** The endpoint an evaluation role calls, with the role its calls are logged under. */
export function evaluationEndpointFor(config: EvaluationConfig, role: EvaluationRole): EndpointConfig {
  const endpoint = role === "judge" ? (config.judge ?? config.reference) : config[role];
  return { ...endpoint, role: logRole[role] };
}

/** "the judge endpoint (the reference, gpt-4o at https://…)" — for error messages a user can act on. */
export function describeEvaluationEndpoint(config: EvaluationConfig, role: EvaluationRole): string {
  const endpoint = evaluationEndpointFor(config, role);
  const which = role === "judge" && !config.judge ? "the reference, " : "";
  return `the ${role} endpoint (${which}${endpoint.model} at ${endpoint.baseUrl})`;
}

/** A choice from the Evaluate page: one of the project's endpoints (its settings as they are), or a custom one. */
export function resolveEndpointChoice(
  choice: EndpointChoice,
  project: ProjectEndpoints,
  label: string,
): EndpointConfig {
  if (choice.source === "custom") {
    return customEndpoint("target", {
      baseUrl: choice.baseUrl,
      model: choice.model,
      apiKeyEnv: choice.apiKeyEnv,
    });
  }
  const endpoint = project[choice.role];
  if (!endpoint)
    throw new AppError(
      "invalid_input",
      `The project has no ${choice.role} endpoint to use as the ${label}: set it on the Models page`,
    );
  return endpoint;
}

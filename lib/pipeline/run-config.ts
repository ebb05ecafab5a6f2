// What a run works with, frozen at its start (Run.configSnapshot): the method settings, the task description
// and the endpoints (the API key's variable name only, never a key). Editing the project later never changes
// a running run; a resume refreshes only the endpoints, so a fixed URL or model takes effect.
import { z } from "zod";
import { methodSettingsSchema, type MethodSettings } from "@/lib/codeclm/settings";
import type { EndpointConfig, EndpointRole } from "@/lib/llm/types";

export const DEFAULT_MAX_DECODE_ROUNDS = 3;
export const MAX_DECODE_ROUNDS_LIMIT = 10;

const endpointSnapshotSchema = z.object({
  role: z.enum(["strong", "target", "judge"]),
  baseUrl: z.string(),
  model: z.string(),
  apiKeyEnv: z.string().nullable().optional(),
  maxConcurrency: z.number().int(),
  requestsPerMinute: z.number().nullable().optional(),
  tokensPerMinute: z.number().nullable().optional(),
  temperature: z.number().nullable().optional(),
  maxTokens: z.number().int(),
  priceInputPerMTok: z.number(),
  priceOutputPerMTok: z.number(),
  structuredOutputMode: z.enum(["json_schema", "json_in_text"]),
  timeoutMs: z.number().int(),
  tokenLimitParam: z.enum(["auto", "max_tokens", "max_completion_tokens"]).optional(),
  reasoningEffort: z.enum(["minimal", "low", "medium", "high"]).nullable().optional(),
});

export const runEndpointsSchema = z.object({
  strong: endpointSnapshotSchema,
  target: endpointSnapshotSchema,
  judge: endpointSnapshotSchema.nullable(),
});
export type RunEndpoints = z.infer<typeof runEndpointsSchema>;

export const runConfigSchema = z.object({
  version: z.literal(1),
  settings: methodSettingsSchema,
  taskDescription: z.string(),
  endpoints: runEndpointsSchema,
  /** "encode": seeds → metadata pool; "existing": the project's metadata entries as they are. */
  poolMode: z.enum(["encode", "existing"]),
  /** Decode rounds at most: later rounds top up when the filter's yield left the kept count short. */
  maxDecodeRounds: z.number().int().min(1).max(MAX_DECODE_ROUNDS_LIMIT),
});
export type RunConfig = z.infer<typeof runConfigSchema>;

export interface StartRunOptions {
  /** Overrides of the project's method settings, for this run only. */
  settings?: Partial<MethodSettings>;
  maxDecodeRounds?: number;
}

/** The endpoint snapshot without anything secret (keys are never in EndpointConfig; this drops unknown fields). */
export function snapshotEndpoint(endpoint: EndpointConfig): EndpointConfig {
  return endpointSnapshotSchema.parse(endpoint);
}

export function buildRunEndpoints(endpoints: Partial<Record<EndpointRole, EndpointConfig>>): RunEndpoints {
  const { strong, target, judge } = endpoints;
  const missing = [!strong && "strong", !target && "target"].filter(Boolean);
  if (!strong || !target) {
    throw new RangeError(
      `Set the ${missing.join(" and ")} endpoint${missing.length > 1 ? "s" : ""} before starting a run`,
    );
  }
  return {
    strong: snapshotEndpoint(strong),
    target: snapshotEndpoint(target),
    judge: judge ? snapshotEndpoint(judge) : null,
  };
}

export function buildRunConfig(input: {
  settings: MethodSettings;
  taskDescription: string;
  endpoints: RunEndpoints;
  poolMode: RunConfig["poolMode"];
  options?: StartRunOptions;
}): RunConfig {
  const settings = methodSettingsSchema.parse({ ...input.settings, ...input.options?.settings });
  return runConfigSchema.parse({
    version: 1,
    settings,
    taskDescription: input.taskDescription,
    endpoints: input.endpoints,
    poolMode: input.poolMode,
    maxDecodeRounds: input.options?.maxDecodeRounds ?? DEFAULT_MAX_DECODE_ROUNDS,
  });
}

export function parseRunConfig(value: unknown): RunConfig {
  return runConfigSchema.parse(value);
}

export type LlmRole = "strong" | "target" | "judge";

/**
 * The endpoint a role calls. The judge is the strong endpoint unless a judge endpoint is set (paper §4.3);
 * calls keep their role, so the call log tells judging from answering.
 */
export function endpointFor(config: RunConfig, role: LlmRole): EndpointConfig {
  if (role === "judge") return { ...(config.endpoints.judge ?? config.endpoints.strong), role: "judge" };
  return config.endpoints[role];
}

/** "the judge endpoint (the strong endpoint: fake-strong at http://…)" — for error messages a user can act on. */
export function describeEndpoint(config: RunConfig, role: LlmRole): string {
  const endpoint = endpointFor(config, role);
  const source =
    role === "judge" && !config.endpoints.judge ? "judge (the strong endpoint, no judge is set)" : role;
  return `the ${source} endpoint (${endpoint.model} at ${endpoint.baseUrl})`;
}

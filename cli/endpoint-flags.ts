// Per-role endpoint flags (--strong-key-env, --target-temperature, --judge-rpm…), so one command can mix
// providers: each role gets its own key variable, parameters, prices and limits. A key is only ever sent to the
// endpoint it was named for; the shared --api-key-env is refused when the roles point at different servers.
import type { Command } from "commander";
import { z } from "zod";
import { keyEnvFlag, numberFlag, UsageError } from "./flag-schemas";

export const endpointFlagRoles = ["strong", "target", "judge"] as const;
export type EndpointFlagRole = (typeof endpointFlagRoles)[number];

/** Suffix → help text; the flag is --<role>-<suffix>. */
const flagHelp = {
  "key-env": "environment variable holding this role's API key (sent only to this role's URL)",
  temperature: "default sampling temperature for calls that set none (0–2)",
  "max-tokens": "max tokens per answer (default 2048)",
  structured: "structured output: json_schema or json_in_text (default json_schema)",
  "token-param": "token-limit parameter: auto, max_tokens or max_completion_tokens (default auto)",
  "reasoning-effort": "reasoning_effort for reasoning models: minimal, low, medium or high",
  "price-in": "input price in $ per 1M tokens (for the cost summary)",
  "price-out": "output price in $ per 1M tokens, reasoning tokens included",
  rpm: "requests per minute at most",
  tpm: "tokens per minute at most",
} as const;

type Suffix = keyof typeof flagHelp;

function camel(role: EndpointFlagRole, suffix: Suffix): string {
  return `${role}-${suffix}`.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Adds the per-role flags to a command. */
export function addEndpointFlags(command: Command, roles: readonly EndpointFlagRole[]): Command {
  for (const role of roles) {
    for (const [suffix, help] of Object.entries(flagHelp)) {
      command.option(`--${role}-${suffix} <value>`, `${role}: ${help}`);
    }
  }
  return command;
}

export interface EndpointFlagValues {
  apiKeyEnv?: string;
  temperature?: number;
  maxTokens?: number;
  structuredOutputMode?: "json_schema" | "json_in_text";
  tokenLimitParam?: "auto" | "max_tokens" | "max_completion_tokens";
  reasoningEffort?: "minimal" | "low" | "medium" | "high";
  priceInputPerMTok?: number;
  priceOutputPerMTok?: number;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
}

function choice<T extends string>(flag: string, values: readonly [T, ...T[]]) {
  return z.enum(values, { error: `${flag} must be one of ${values.join(", ")}` }).optional();
}

function roleSchema(role: EndpointFlagRole) {
  const flag = (suffix: Suffix) => `--${role}-${suffix}`;
  return z.object({
    apiKeyEnv: keyEnvFlag(flag("key-env")),
    temperature: numberFlag(flag("temperature"), { min: 0, max: 2, integer: false }),
    maxTokens: numberFlag(flag("max-tokens"), { min: 1, max: 1_000_000, integer: true }),
    structuredOutputMode: choice(flag("structured"), ["json_schema", "json_in_text"]),
    tokenLimitParam: choice(flag("token-param"), ["auto", "max_tokens", "max_completion_tokens"]),
    reasoningEffort: choice(flag("reasoning-effort"), ["minimal", "low", "medium", "high"]),
    priceInputPerMTok: numberFlag(flag("price-in"), { min: 0, max: 10_000, integer: false }),
    priceOutputPerMTok: numberFlag(flag("price-out"), { min: 0, max: 10_000, integer: false }),
    requestsPerMinute: numberFlag(flag("rpm"), { min: 1, max: 1_000_000, integer: true }),
    tokensPerMinute: numberFlag(flag("tpm"), { min: 1, max: 1_000_000_000, integer: true }),
  });
}

const suffixOf: Record<keyof EndpointFlagValues, Suffix> = {
  apiKeyEnv: "key-env",
  temperature: "temperature",
  maxTokens: "max-tokens",
  structuredOutputMode: "structured",
  tokenLimitParam: "token-param",
  reasoningEffort: "reasoning-effort",
  priceInputPerMTok: "price-in",
  priceOutputPerMTok: "price-out",
  requestsPerMinute: "rpm",
  tokensPerMinute: "tpm",
};

/** Reads one role's flags from commander's camelCase values; throws UsageError naming the flag. */
export function parseEndpointFlags(raw: Record<string, unknown>, role: EndpointFlagRole): EndpointFlagValues {
  const input = Object.fromEntries(
    Object.entries(suffixOf).map(([field, suffix]) => [field, raw[camel(role, suffix)]]),
  );
  const parsed = roleSchema(role).safeParse(input);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? `invalid --${role}-… flags`);
  return Object.fromEntries(
    Object.entries(parsed.data).filter(([, value]) => value !== undefined),
  ) as EndpointFlagValues;
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/**
 * The key variable of each role: its own --<role>-key-env, else the shared --api-key-env, which is allowed only
 * when every role without its own key talks to the same server (else one provider's key would reach another).
 */
export function keyVariablesByRole(
  shared: string | null,
  roles: { role: string; url: string; own: string | undefined }[],
): Map<string, string | null> {
  const result = new Map<string, string | null>();
  const sharing = roles.filter((entry) => entry.own === undefined);
  if (shared && new Set(sharing.map((entry) => origin(entry.url))).size > 1) {
    const names = sharing.map((entry) => `--${entry.role}-key-env`).join(", ");
    throw new UsageError(
      `--api-key-env would send one key to different servers (${[...new Set(sharing.map((entry) => origin(entry.url)))].join(", ")}): give ${names} instead`,
    );
  }
  for (const entry of roles) result.set(entry.role, entry.own ?? shared);
  return result;
}

// The `generate` command's flags, checked before anything touches the database: bad input fails in a second with
// a one-line message. Method bounds come from the settings specs the web form uses.
import { z } from "zod";
import { METHOD_SETTING_SPECS } from "@/lib/codeclm/settings";
import { keyVariablesByRole, parseEndpointFlags, type EndpointFlagValues } from "./endpoint-flags";
import { exportFormats, type ExportFormat } from "@/lib/schemas/export";
import { apiKeyEnvFlag, numberFlag, textFlag as text, urlFlag as url, UsageError } from "./flag-schemas";

export interface RawGenerateFlags {
  seeds?: string;
  out?: string;
  strongUrl?: string;
  strongModel?: string;
  targetUrl?: string;
  targetModel?: string;
  judgeUrl?: string;
  judgeModel?: string;
  apiKeyEnv?: string;
  size?: string;
  pool?: string;
  theta?: string;
  iterations?: string;
  concurrency?: string;
  seed?: string;
  format?: string;
  json?: boolean;
  /** commander's --no-provenance sets provenance: false. */
  provenance?: boolean;
  fullProvenance?: boolean;
  /** The per-role flags (--strong-key-env …), camelCase as commander gives them. */
  [perRoleFlag: string]: string | boolean | undefined;
}

/** One role's server: its URL, model and everything set for it alone (its key variable included). */
export interface RoleEndpointOptions extends Omit<EndpointFlagValues, "apiKeyEnv"> {
  url: string;
  model: string;
  apiKeyEnv: string | null;
}

export interface GenerateOptions {
  seedsFile: string;
  outFile: string;
  strong: RoleEndpointOptions;
  target: RoleEndpointOptions;
  judge: RoleEndpointOptions | null;
  settings: {
    targetDatasetSize?: number;
    poolSize?: number;
    gapThreshold?: number;
    maxIterations?: number;
    randomSeed?: number;
  };
  concurrency: number;
  format: ExportFormat;
  provenance: "none" | "lean" | "full";
  /** Print the summary as one JSON object on stdout. */
  json: boolean;
}

const flagsSchema = z.object({
  seeds: text("--seeds"),
  out: text("--out"),
  strongUrl: url("--strong-url"),
  strongModel: text("--strong-model"),
  targetUrl: url("--target-url"),
  targetModel: text("--target-model"),
  judgeUrl: url("--judge-url").optional(),
  judgeModel: text("--judge-model").optional(),
  apiKeyEnv: apiKeyEnvFlag,
  size: numberFlag("--size", METHOD_SETTING_SPECS.targetDatasetSize),
  pool: numberFlag("--pool", METHOD_SETTING_SPECS.poolSize),
  theta: numberFlag("--theta", METHOD_SETTING_SPECS.gapThreshold),
  iterations: numberFlag("--iterations", METHOD_SETTING_SPECS.maxIterations),
  concurrency: numberFlag("--concurrency", { min: 1, max: 1024, integer: true }),
  seed: numberFlag("--seed", METHOD_SETTING_SPECS.randomSeed),
  format: z
    .string()
    .optional()
    .refine((value) => value === undefined || (exportFormats as readonly string[]).includes(value), {
      message: `--format must be one of ${exportFormats.join(", ")}`,
    }),
  provenance: z.boolean().optional(),
  fullProvenance: z.boolean().optional(),
});

/** Validates the flags; throws UsageError with the first problem. */
export function parseGenerateFlags(
  raw: RawGenerateFlags,
  defaults: { concurrency: number },
): GenerateOptions {
  const parsed = flagsSchema.safeParse(
    Object.fromEntries(Object.entries(raw).filter(([key]) => key in flagsSchema.shape)),
  );
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]?.message ?? "invalid flags");
  const flags = parsed.data;
  if (flags.provenance === false && flags.fullProvenance) {
    throw new UsageError("--no-provenance and --full-provenance contradict each other: give one");
  }
  if ((flags.judgeUrl === undefined) !== (flags.judgeModel === undefined)) {
    throw new UsageError("--judge-url and --judge-model go together: give both or neither");
  }
  const perRole = {
    strong: parseEndpointFlags(raw, "strong"),
    target: parseEndpointFlags(raw, "target"),
    judge: parseEndpointFlags(raw, "judge"),
  };
  if (!flags.judgeUrl && Object.keys(perRole.judge).length > 0) {
    throw new UsageError("--judge-… settings need --judge-url and --judge-model");
  }
  const keys = keyVariablesByRole(flags.apiKeyEnv ?? null, [
    { role: "strong", url: flags.strongUrl, own: perRole.strong.apiKeyEnv },
    { role: "target", url: flags.targetUrl, own: perRole.target.apiKeyEnv },
    ...(flags.judgeUrl ? [{ role: "judge", url: flags.judgeUrl, own: perRole.judge.apiKeyEnv }] : []),
  ]);
  const role = (name: "strong" | "target" | "judge", url: string, model: string): RoleEndpointOptions => ({
    ...perRole[name],
    url,
    model,
    apiKeyEnv: keys.get(name) ?? null,
  });
  return {
    seedsFile: flags.seeds,
    outFile: flags.out,
    strong: role("strong", flags.strongUrl, flags.strongModel),
    target: role("target", flags.targetUrl, flags.targetModel),
    judge: flags.judgeUrl && flags.judgeModel ? role("judge", flags.judgeUrl, flags.judgeModel) : null,
    settings: {
      targetDatasetSize: flags.size,
      poolSize: flags.pool,
      gapThreshold: flags.theta,
      maxIterations: flags.iterations,
      randomSeed: flags.seed,
    },
    concurrency: flags.concurrency ?? defaults.concurrency,
    format: (flags.format as ExportFormat | undefined) ?? "chat",
    provenance: flags.fullProvenance ? "full" : flags.provenance === false ? "none" : "lean",
    json: raw.json === true,
  };
}

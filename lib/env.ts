// The one place that reads process.env. Everything else imports `env` (or `readApiKey`).
import path from "node:path";
import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((value) =>
    value === undefined || value === "" ? undefined : value === "true" || value === "1",
  );

const envSchema = z.object({
  /** An external PostgreSQL. Unset: the app starts its own embedded PostgreSQL in CODECLM_DATA_DIR/postgres. */
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined))
    .refine((value) => value === undefined || /^postgres(ql)?:\/\//.test(value), {
      message: "must start with postgres:// or postgresql://",
    }),
  /** Where the embedded database and export files live. */
  CODECLM_DATA_DIR: z.string().default(".data"),
  /** Start a pipeline worker inside the web server process (default true). */
  CODECLM_IN_PROCESS_WORKER: booleanFlag.transform((value) => value ?? true),
  /** Worker concurrency: how many queue jobs one process works on at once. */
  CODECLM_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(64),
  /**
   * Crash takeover: seconds a held queue job may go without its worker's heartbeat (sent every few seconds)
   * before a live worker takes it over. Takeover happens within this plus one heartbeat interval.
   */
  CODECLM_JOB_EXPIRE_SECONDS: z.coerce.number().int().min(1).max(82_800).default(30),
  /** How often pg-boss looks for expired jobs; default: a third of the expiry, between 1 and 120 seconds. */
  CODECLM_QUEUE_MAINTENANCE_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
  /** How often a worker checks its runs for stalled work (re-enqueues what is missing, closes finished stages). */
  CODECLM_SUPERVISE_SECONDS: z.coerce.number().min(0.2).max(3600).default(15),
  /**
   * Endpoint limits shared by every process on the database: seconds a process's lease on an endpoint's call
   * slots lasts without renewal (renewed every third of it), so a killed process frees its slots within this.
   */
  CODECLM_LIMIT_LEASE_SECONDS: z.coerce.number().min(1).max(600).default(10),
  /** Another folder with the public evaluation sets laid out like data/; default: the repo's own data/. */
  CODECLM_PUBLIC_DATA_DIR: z
    .string()
    .trim()
    .optional()
    .transform((value) => (value ? value : undefined)),
  /**
   * The environment variables an endpoint may name as its key variable: comma-separated names or patterns with `*`
   * (e.g. `OPENAI_API_KEY,*_API_KEY`). The app's own settings (DATABASE_URL, CODECLM_*, BETTER_AUTH_*, …) never.
   */
  CODECLM_KEY_VARS: z
    .string()
    .default("*_API_KEY")
    .transform((value, context) => {
      const entries = value
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== "");
      for (const entry of entries) {
        if (!/^[A-Za-z0-9_*]+$/.test(entry) || entry.replaceAll("*", "").length < 3) {
          context.addIssue({
            code: "custom",
            message: `"${entry}" is not a variable name or a pattern like *_API_KEY (letters, digits, _ and *, at least 3 characters besides *)`,
          });
        }
      }
      return entries;
    }),
  /** The address the web server listens on; 127.0.0.1 unless you open it to the network on purpose. */
  HOST: z.string().trim().min(1).default("127.0.0.1"),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
});

export type Env = z.infer<typeof envSchema>;

function parseEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new Error(`Invalid environment variables:\n${lines.join("\n")}`);
  }
  return parsed.data;
}

export const env: Env = parseEnv();

export const dataDir = path.resolve(env.CODECLM_DATA_DIR);

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

// Variables that hold the app's own secrets or settings: no allow-list entry can make them an endpoint's key
// (a key variable's value is sent as a Bearer token to whatever URL the endpoint names).
const neverKeyVariables = [/^DATABASE_URL$/i, /^CODECLM_/i, /^BETTER_AUTH_/i, /^PG[A-Z]*$/i, /^NEXT_/i];

/** Entries were checked to hold only letters, digits, _ and *: nothing to escape. */
function patternToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split("*").join("[A-Za-z0-9_]*")}$`);
}

const allowedKeyPatterns = env.CODECLM_KEY_VARS.map(patternToRegExp);

/**
 * Why `variableName` may not be an endpoint's key variable, or null when it may. Shown to the user as is.
 */
export function keyVariableProblem(variableName: string): string | null {
  if (!envVarName.test(variableName)) return `"${variableName}" is not a valid environment variable name`;
  const allowed = env.CODECLM_KEY_VARS.join(", ");
  if (neverKeyVariables.some((pattern) => pattern.test(variableName)))
    return `${variableName} holds the app's own settings and can never be an endpoint's key variable; use one matching ${allowed}`;
  if (!allowedKeyPatterns.some((pattern) => pattern.test(variableName)))
    return `${variableName} is not an allowed key variable: the operator allows ${allowed} (CODECLM_KEY_VARS)`;
  return null;
}

/**
 * An endpoint's API key, read from the env var the user named, which must be on the operator's allow-list.
 * Keys are never stored in the database. Returns undefined when no name is set (local servers often need no key).
 */
export function readApiKey(variableName: string | null | undefined): string | undefined {
  if (!variableName) return undefined;
  const problem = keyVariableProblem(variableName);
  if (problem) throw new Error(problem);
  return process.env[variableName];
}

export function isApiKeySet(variableName: string | null | undefined): boolean {
  return readApiKey(variableName) !== undefined;
}

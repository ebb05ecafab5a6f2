// The `evaluate` command's flags, checked before anything touches the database: bad input fails at once with a
// one-line message (exit code 2).
import { z } from "zod";
import { keyVariablesByRole } from "./endpoint-flags";
import {
  apiKeyEnvFlag,
  keyEnvFlag,
  numberFlag,
  textFlag as text,
  urlFlag as url,
  UsageError,
} from "./flag-schemas";

export interface RawEvaluateFlags {
  set?: string;
  targetUrl?: string;
  targetModel?: string;
  referenceUrl?: string;
  referenceModel?: string;
  judgeUrl?: string;
  judgeModel?: string;
  apiKeyEnv?: string;
  targetKeyEnv?: string;
  referenceKeyEnv?: string;
  judgeKeyEnv?: string;
  out?: string;
  project?: string;
  name?: string;
  concurrency?: string;
}

export interface EvaluateOptions {
  /** A public set's name (e.g. vicuna-80) or a file. */
  set: string;
  /** Each role with its own key variable: a key is only sent to the server it was named for. */
  target: { url: string; model: string; apiKeyEnv: string | null };
  reference: { url: string; model: string; apiKeyEnv: string | null };
  judge: { url: string; model: string; apiKeyEnv: string | null } | null;
  outFile: string | null;
  /** Add the evaluation to this project (to compare it with others in the app); default: the "CLI evaluations" project. */
  projectId: number | null;
  name: string | null;
  concurrency: number;
}

const positiveInteger = (flag: string, max: number) => numberFlag(flag, { min: 1, max, integer: true });

const flagsSchema = z.object({
  set: text("--set"),
  targetUrl: url("--target-url"),
  targetModel: text("--target-model"),
  referenceUrl: url("--reference-url"),
  referenceModel: text("--reference-model"),
  judgeUrl: url("--judge-url").optional(),
  judgeModel: text("--judge-model").optional(),
  apiKeyEnv: apiKeyEnvFlag,
  targetKeyEnv: keyEnvFlag("--target-key-env"),
  referenceKeyEnv: keyEnvFlag("--reference-key-env"),
  judgeKeyEnv: keyEnvFlag("--judge-key-env"),
  out: text("--out").optional(),
  project: positiveInteger("--project", 2 ** 31 - 1),
  name: text("--name").optional(),
  concurrency: positiveInteger("--concurrency", 1024),
});

export function parseEvaluateFlags(
  flags: RawEvaluateFlags,
  defaults: { concurrency: number },
): EvaluateOptions {
  const parsed = flagsSchema.safeParse(flags);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0]!.message);
  const value = parsed.data;
  if ((value.judgeUrl === undefined) !== (value.judgeModel === undefined)) {
    throw new UsageError(
      "--judge-url and --judge-model go together (without them the reference model judges)",
    );
  }
  const keys = keyVariablesByRole(value.apiKeyEnv ?? null, [
    { role: "target", url: value.targetUrl, own: value.targetKeyEnv },
    { role: "reference", url: value.referenceUrl, own: value.referenceKeyEnv },
    ...(value.judgeUrl ? [{ role: "judge", url: value.judgeUrl, own: value.judgeKeyEnv }] : []),
  ]);
  const key = (role: string) => keys.get(role) ?? null;
  return {
    set: value.set,
    target: { url: value.targetUrl, model: value.targetModel, apiKeyEnv: key("target") },
    reference: { url: value.referenceUrl, model: value.referenceModel, apiKeyEnv: key("reference") },
    judge:
      value.judgeUrl && value.judgeModel
        ? { url: value.judgeUrl, model: value.judgeModel, apiKeyEnv: key("judge") }
        : null,
    outFile: value.out ?? null,
    projectId: value.project ?? null,
    name: value.name ?? null,
    concurrency: value.concurrency ?? defaults.concurrency,
  };
}

// The `evaluate` command's flags, checked before anything touches the database: bad input fails at once with a
// one-line message (exit code 2).
import { z } from "zod";
import { apiKeyEnvFlag, numberFlag, textFlag as text, urlFlag as url, UsageError } from "./flag-schemas";

export interface RawEvaluateFlags {
  set?: string;
  targetUrl?: string;
  targetModel?: string;
  referenceUrl?: string;
  referenceModel?: string;
  judgeUrl?: string;
  judgeModel?: string;
  apiKeyEnv?: string;
  out?: string;
  project?: string;
  name?: string;
  concurrency?: string;
}

export interface EvaluateOptions {
  /** A public set's name (e.g. vicuna-80) or a file. */
  set: string;
  target: { url: string; model: string };
  reference: { url: string; model: string };
  judge: { url: string; model: string } | null;
  apiKeyEnv: string | null;
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
  return {
    set: value.set,
    target: { url: value.targetUrl, model: value.targetModel },
    reference: { url: value.referenceUrl, model: value.referenceModel },
    judge: value.judgeUrl && value.judgeModel ? { url: value.judgeUrl, model: value.judgeModel } : null,
    apiKeyEnv: value.apiKeyEnv ?? null,
    outFile: value.out ?? null,
    projectId: value.project ?? null,
    name: value.name ?? null,
    concurrency: value.concurrency ?? defaults.concurrency,
  };
}

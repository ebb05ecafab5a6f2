// `codeclm evaluate …`: registers the subcommand on the CLI's commander program. Exit codes: 0 completed,
// 1 the evaluation or its input failed, 2 bad flags, 130 interrupted.
import type { Command } from "commander";
import { env } from "@/lib/env";
import { evaluate, EvaluateError } from "./evaluate";
import { parseEvaluateFlags, type RawEvaluateFlags } from "./evaluate-options";
import { UsageError } from "./flag-schemas";

function fail(code: number, message: string, details: string[] = []): never {
  process.stderr.write(`codeclm: ${message}\n`);
  for (const line of details) process.stderr.write(`  ${line}\n`);
  process.exit(code);
}

export function registerEvaluateCommand(program: Command): Command {
  return program
    .command("evaluate")
    .description(
      "judge a target model against a reference on held-out instructions, in both orders; print W/T/L and CRR",
    )
    .requiredOption(
      "--set <name|file>",
      "a public set (vicuna-80, self-instruct-252, koala-180, evol-instruct-218, mt-bench-80) or a file",
    )
    .requiredOption(
      "--target-url <url>",
      "OpenAI-compatible base URL of the target model (e.g. your fine-tuned model)",
    )
    .requiredOption("--target-model <name>", "the target model")
    .requiredOption(
      "--reference-url <url>",
      "base URL of the reference (usually the strong model that made the data)",
    )
    .requiredOption("--reference-model <name>", "the reference model")
    .option("--judge-url <url>", "base URL of a separate judge (default: the reference judges)")
    .option("--judge-model <name>", "the judge model")
    .option(
      "--api-key-env <name>",
      "key variable for every role on one server (roles on different servers: use --<role>-key-env)",
    )
    .option("--target-key-env <name>", "key variable of the target's server only")
    .option("--reference-key-env <name>", "key variable of the reference's server only")
    .option("--judge-key-env <name>", "key variable of the judge's server only")
    .option(
      "--out <file>",
      "write the full report (every instruction, both answers, both orders' scores) as JSON",
    )
    .option(
      "--project <id>",
      'add the evaluation to this project, to compare it in the app (default: a "CLI evaluations" project)',
    )
    .option("--name <name>", "the evaluation's name (default: target vs reference on set)")
    .option(
      "--concurrency <n>",
      `LLM calls in flight per endpoint and instructions in flight (default ${env.CODECLM_WORKER_CONCURRENCY})`,
    )
    .action(async (flags: RawEvaluateFlags) => {
      let options;
      try {
        options = parseEvaluateFlags(flags, { concurrency: env.CODECLM_WORKER_CONCURRENCY });
      } catch (error) {
        if (error instanceof UsageError) fail(2, error.message);
        throw error;
      }
      try {
        process.exit(await evaluate(options));
      } catch (error) {
        if (error instanceof EvaluateError) fail(1, error.message, error.details);
        fail(1, error instanceof Error ? error.message : String(error));
      }
    });
}

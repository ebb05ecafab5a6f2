// `npm run codeclm -- generate …`: the CodecLM engine headless, on the same code and database as the app.
// Exit codes: 0 done, 1 the run or its input failed, 2 bad flags, 130 interrupted.
import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { env } from "@/lib/env";
import { addEndpointFlags } from "./endpoint-flags";
import { exportFormats } from "@/lib/schemas/export";
import { registerEvaluateCommand } from "./evaluate-command";
import { generate, GenerateError } from "./generate";
import { UsageError } from "./flag-schemas";
import { parseGenerateFlags, type RawGenerateFlags } from "./generate-options";

function fail(code: number, message: string, details: string[] = []): never {
  process.stderr.write(`codeclm: ${message}\n`);
  for (const line of details) process.stderr.write(`  ${line}\n`);
  process.exit(code);
}

const program = new Command()
  .name("codeclm")
  .description(
    "Turn seed instructions into a tailored instruction-tuning dataset (CodecLM, Wang et al. 2024)",
  )
  .version(packageVersion(), "-V, --version", "print the version")
  .exitOverride()
  .configureOutput({ writeErr: () => undefined });

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    version?: string;
  };
  return manifest.version ?? "unknown";
}

const generateCommand = program
  .command("generate")
  .description(
    "encode the seeds, build the metadata pool, decode, Self-Rubrics and Contrastive Filtering; write the kept pairs",
  )
  .requiredOption(
    "--seeds <file>",
    "seed instructions (JSONL, JSON, CSV, TSV or text; the instruction field is detected)",
  )
  .requiredOption(
    "--out <file>",
    "where to write the kept records (checked before the run starts); - writes them to stdout",
  )
  .requiredOption("--strong-url <url>", "OpenAI-compatible base URL of the strong model (ends in /v1)")
  .requiredOption("--strong-model <name>", "the strong model: writes, rewrites and answers")
  .requiredOption("--target-url <url>", "OpenAI-compatible base URL of the target model")
  .requiredOption("--target-model <name>", "the target model, to be fine-tuned on the result")
  .option("--judge-url <url>", "base URL of a separate judge (default: the strong model judges)")
  .option("--judge-model <name>", "the judge model")
  .option(
    "--api-key-env <name>",
    "key variable for every role on one server (roles on different servers: use --<role>-key-env)",
  )
  .option("--json", "print the summary as one JSON object")
  .option("--size <n>", "target dataset size (default 2000)")
  .option("--pool <n>", "metadata pool size (default 200)")
  .option("--theta <x>", "gap threshold θ on the 1–10 scale (default 3)")
  .option("--iterations <n>", "most iterations per instruction, the basic one included (default 4)")
  .option(
    "--concurrency <n>",
    `LLM calls in flight per endpoint and jobs in flight (default ${env.CODECLM_WORKER_CONCURRENCY})`,
  )
  .option("--seed <n>", "random seed of every sampling decision (default 0)")
  .addOption(
    new Option(
      "--format <format>",
      "record shape, JSONL or Parquet (-parquet): chat, alpaca, sharegpt, preference (TRL DPO), preference-sharegpt (LLaMA-Factory)",
    )
      .choices([...exportFormats])
      .default("chat"),
  )
  .option("--no-provenance", "leave the codeclm provenance object out of each record")
  .option(
    "--full-provenance",
    "full provenance: ids, chain of texts and actions, both answers, judge scores, models",
  );
addEndpointFlags(generateCommand, ["strong", "target", "judge"]).action(async (flags: RawGenerateFlags) => {
  let options;
  try {
    options = parseGenerateFlags(flags, { concurrency: env.CODECLM_WORKER_CONCURRENCY });
  } catch (error) {
    if (error instanceof UsageError) fail(2, error.message);
    throw error;
  }
  try {
    process.exit(await generate(options));
  } catch (error) {
    if (error instanceof GenerateError) fail(1, error.message, error.details);
    fail(1, error instanceof Error ? error.message : String(error));
  }
});

registerEvaluateCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    if (
      error.code === "commander.helpDisplayed" ||
      error.code === "commander.version" ||
      error.exitCode === 0
    )
      process.exit(0);
    fail(2, error.message.replace(/^error: /, ""));
  }
  fail(1, error instanceof Error ? error.message : String(error));
}

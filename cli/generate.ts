// `codeclm generate`: seeds file → new project → a run on an in-process worker → kept records written atomically.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { getDb, getPool, closeDb, setDatabaseUrl } from "@/lib/db/client";
import { openDatabase, redactUrl } from "@/lib/db/database";
import { importSeedFile } from "@/lib/db/seed-file-import";
import { decodeSeedFile, extractSeeds, parseSeedFile, seedFileErrorMessages } from "@/lib/formats/seed-file";
import { countActiveJobsOfRun } from "@/lib/jobs/queue";
import { takeOverShutdownSignals } from "@/lib/jobs/shutdown-signals";
import { getRunProgress, type RunProgress } from "@/lib/pipeline/progress";
import { interruptRun, startRun } from "@/lib/pipeline/run-control";
import {
  closePipelineServices,
  configurePipeline,
  consoleLog,
  pipelineSettings,
} from "@/lib/pipeline/services";
import { startWorker } from "@/lib/jobs/worker-runtime";
import { checkOutTarget, exportRunTo, stdoutTarget } from "./export-output";
import { createProgressDisplay, formatSummary, summaryJson } from "./run-display";
import type { GenerateOptions, RoleEndpointOptions } from "./generate-options";

/** A failure to report in one line (exit code 1). */
export class GenerateError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "GenerateError";
  }
}

/** Reads and checks the seeds file before anything else: its problems are reported with their lines. */
async function readSeedsFile(file: string): Promise<Uint8Array> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new GenerateError(
      `Cannot read the seeds file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  const fileName = path.basename(file);
  let parsed;
  try {
    parsed = parseSeedFile(decodeSeedFile(bytes, fileName).text, { fileName });
  } catch (error) {
    throw new GenerateError(
      `The seeds file ${file} cannot be used: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const instructionField = parsed.suggestedInstructionField;
  if (!instructionField) {
    throw new GenerateError(
      `The seeds file ${file} has no field that looks like an instruction (fields: ${parsed.fields.join(", ") || "none"})`,
    );
  }
  const extracted = extractSeeds(parsed, { instructionField, inputField: parsed.suggestedInputField });
  if (extracted.errorCount > 0) {
    const count = extracted.errorCount;
    throw new GenerateError(
      `The seeds file ${file} has ${count} problem${count === 1 ? "" : "s"}; nothing was imported`,
      seedFileErrorMessages(extracted),
    );
  }
  return bytes;
}

async function createProject(options: GenerateOptions, bytes: Uint8Array): Promise<number> {
  const db = getDb();
  const { settings } = options;
  const project = await db.project.create({
    data: {
      name: `CLI ${path.basename(options.seedsFile)} ${new Date().toISOString().slice(0, 19).replace("T", " ")}`,
      taskDescription: "",
      ...Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)),
    },
    select: { id: true },
  });
  const endpoint = (role: "strong" | "target" | "judge", target: RoleEndpointOptions) => {
    const { url, model, ...settings } = target;
    return {
      projectId: project.id,
      role,
      baseUrl: url,
      model,
      maxConcurrency: options.concurrency,
      ...settings,
    };
  };
  await db.endpoint.createMany({
    data: [
      endpoint("strong", options.strong),
      endpoint("target", options.target),
      ...(options.judge ? [endpoint("judge", options.judge)] : []),
    ],
  });
  await importSeedFile(getPool(), {
    bytes,
    fileName: path.basename(options.seedsFile),
    projectId: project.id,
  });
  return project.id;
}

const ended = new Set(["completed", "failed", "cancelled", "interrupted"]);

async function waitForEnd(
  runId: number,
  onProgress: (progress: RunProgress) => void,
  interrupted: () => boolean,
): Promise<RunProgress> {
  for (;;) {
    const progress = await getRunProgress(runId);
    onProgress(progress);
    if (ended.has(progress.run.state) || interrupted()) return progress;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Runs the whole command; returns the exit code. Messages go to stderr, the summary to stdout. */
export async function generate(options: GenerateOptions): Promise<number> {
  // --out is checked first: a run must not be paid for when its result cannot be written.
  const outProblem = await checkOutTarget(options.outFile);
  if (outProblem) throw new GenerateError(outProblem);
  const bytes = await readSeedsFile(options.seedsFile);
  // With --out -, stdout carries the records only; the summary goes to stderr.
  const summaryStream = options.outFile === stdoutTarget ? process.stderr : process.stdout;
  const database = await openDatabase();
  setDatabaseUrl(database.url);
  configurePipeline({ concurrency: options.concurrency, log: consoleLog("error") });
  let interrupted = false;
  let runId: number | null = null;
  let projectId: number | null = null;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(
      "\nStopping: aborting the calls in flight; the run is marked interrupted and can be resumed (press Ctrl-C again to quit at once)…\n",
    );
  };
  const releaseSignals = takeOverShutdownSignals(onSignal);
  const worker = await startWorker({ processors: ["pipeline"], concurrency: options.concurrency });
  const display = createProgressDisplay(process.stderr);
  try {
    projectId = await createProject(options, bytes);
    runId = (await startRun(projectId)).runId;
    process.stderr.write(
      `Run ${runId} of project ${projectId} started (database ${redactUrl(database.url)})\n`,
    );
    let progress = await waitForEnd(
      runId,
      (value) => display.update(value),
      () => interrupted,
    );
    if (interrupted && !ended.has(progress.run.state)) {
      // Abort every HTTP request in flight now (their jobs go back to the queue), then mark the run.
      await worker.stop({ graceMs: 0 });
      await interruptRun(runId);
    }
    // Jobs in flight when the run ended on its own still store what they already paid for.
    for (
      let waited = 0;
      !interrupted &&
      waited < 30_000 &&
      (await countActiveJobsOfRun(getPool(), runId, pipelineSettings().expireSeconds)) > 0;
      waited += 200
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    progress = await getRunProgress(runId);
    display.stop();
    const print = (extra: { outFile?: string; written?: number; sha256?: string; exportId?: number }) => {
      if (options.json) summaryStream.write(`${JSON.stringify(summaryJson(progress, extra))}\n`);
      else for (const line of formatSummary(progress, extra)) summaryStream.write(`${line}\n`);
    };
    if (progress.run.state === "failed") {
      print({});
      throw new GenerateError(progress.run.lastError ?? "The run failed");
    }
    const exported = await exportRunTo(getPool(), {
      projectId,
      runId,
      format: options.format,
      provenance: options.provenance,
      outFile: options.outFile,
    });
    print({
      outFile: options.outFile === stdoutTarget ? "stdout" : options.outFile,
      written: exported.recordCount,
      sha256: exported.sha256,
      exportId: exported.id,
    });
    if (progress.run.state === "interrupted")
      process.stderr.write(
        `Resume it with the app (Run page) on the same database: run ${runId} is resumable.\n`,
      );
    return progress.run.state === "cancelled" || progress.run.state === "interrupted" ? 130 : 0;
  } finally {
    display.stop();
    releaseSignals();
    await worker.stop({ graceMs: 5000 });
    await closePipelineServices();
    await closeDb();
    await database.stop();
  }
}

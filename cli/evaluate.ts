// `codeclm evaluate`: an evaluation set (public by name, or a file) → an evaluation on an in-process worker, the
// same engine as the app (queued, cached, rate-limited, cost-accounted) → W/T/L, CRR and its interval on stdout,
// and the full report as JSON with --out. Messages go to stderr.
import { existsSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import cliProgress from "cli-progress";
import { closeDb, getDb, getPool, setDatabaseUrl } from "@/lib/db/client";
import { openDatabase, redactUrl } from "@/lib/db/database";
import { AppError } from "@/lib/errors";
import { customEndpoint } from "@/lib/evaluation/config";
import { cancelEvaluation, startEvaluation } from "@/lib/evaluation/control";
import { getEvaluationDetail, type EvaluationDetail } from "@/lib/evaluation/progress";
import { findPublicSet } from "@/lib/evaluation/public-sets";
import { buildEvaluationReport } from "@/lib/evaluation/report";
import { addPublicSet, importEvalSetFile, type AddedEvalSet } from "@/lib/evaluation/sets";
import { formatCrr } from "@/lib/evaluation/summary";
import { startWorker } from "@/lib/jobs/worker-runtime";
import { closePipelineServices, configurePipeline, consoleLog } from "@/lib/pipeline/services";
import type { EvaluateOptions } from "./evaluate-options";

export const CLI_EVALUATIONS_PROJECT = "CLI evaluations";

/** A failure to report in one line, with detail lines (exit code 1). */
export class EvaluateError extends Error {
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
    this.name = "EvaluateError";
  }
}

function asEvaluateError(error: unknown): EvaluateError {
  if (error instanceof EvaluateError) return error;
  if (error instanceof AppError)
    return new EvaluateError(error.message, (error.details as { lines?: string[] } | undefined)?.lines ?? []);
  return new EvaluateError(error instanceof Error ? error.message : String(error));
}

async function projectFor(options: EvaluateOptions): Promise<number> {
  const db = getDb();
  if (options.projectId !== null) {
    const project = await db.project.findUnique({ where: { id: options.projectId }, select: { id: true } });
    if (!project) throw new EvaluateError(`There is no project ${options.projectId} in this database`);
    return project.id;
  }
  const existing = await db.project.findFirst({
    where: { name: CLI_EVALUATIONS_PROJECT },
    orderBy: { id: "asc" },
    select: { id: true },
  });
  if (existing) return existing.id;
  const created = await db.project.create({
    data: {
      name: CLI_EVALUATIONS_PROJECT,
      taskDescription: "Evaluations run from the command line (codeclm evaluate)",
    },
    select: { id: true },
  });
  return created.id;
}

async function addSet(options: EvaluateOptions, projectId: number): Promise<AddedEvalSet> {
  if (findPublicSet(options.set)) return addPublicSet(getPool(), projectId, options.set);
  if (!existsSync(options.set)) {
    throw new EvaluateError(
      `--set ${options.set} is neither a public set (vicuna-80, self-instruct-252, koala-180, evol-instruct-218, mt-bench-80) nor a file`,
    );
  }
  const bytes = await readFile(options.set);
  return importEvalSetFile(getPool(), { projectId, bytes, fileName: path.basename(options.set) });
}

const ended = new Set(["completed", "failed", "cancelled"]);

function createDisplay(stream: NodeJS.WriteStream) {
  const bar = stream.isTTY
    ? new cliProgress.SingleBar(
        {
          format: "{bar} {value}/{total} judged | {calls} calls, {cached} cached | {failed} failed",
          stream,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  let lastPrinted = 0;
  return {
    update({ counts, llm }: EvaluationDetail) {
      const settled = counts.judged + counts.failed;
      const payload = { calls: llm.calls, cached: llm.cacheHits, failed: counts.failed };
      if (bar) {
        if (!started) bar.start(counts.total, settled, payload);
        else bar.update(settled, payload);
        started = true;
      } else if (Date.now() - lastPrinted >= 5000) {
        lastPrinted = Date.now();
        stream.write(
          `${settled}/${counts.total} judged · ${llm.calls} calls (${llm.cacheHits} cached) · ${counts.failed} failed\n`,
        );
      }
    },
    stop: () => {
      if (bar && started) bar.stop();
    },
  };
}

export function formatEvaluationSummary(
  detail: EvaluationDetail,
  extra: { outFile?: string | null } = {},
): string[] {
  const { evaluation, counts, summary, llm } = detail;
  const seconds =
    evaluation.startedAt && evaluation.finishedAt
      ? (Date.parse(evaluation.finishedAt) - Date.parse(evaluation.startedAt)) / 1000
      : null;
  const judge = evaluation.judge ?? evaluation.reference;
  const lines = [
    `Evaluation ${evaluation.id} (${evaluation.name}): ${evaluation.state}${seconds === null ? "" : ` in ${seconds.toFixed(1)} s`}`,
    `  target    ${evaluation.target.model} at ${evaluation.target.baseUrl}`,
    `  reference ${evaluation.reference.model} at ${evaluation.reference.baseUrl}`,
    `  judge     ${judge.model} at ${judge.baseUrl}${evaluation.judge ? "" : " (the reference)"}, both orders, temperature 0`,
    `  W/T/L     ${summary.wins}/${summary.ties}/${summary.losses} of ${summary.total} judged`,
    `  CRR       ${formatCrr(summary.crr)}` +
      (summary.interval
        ? ` (95% CI ${formatCrr(summary.interval.low)} – ${formatCrr(summary.interval.high)})`
        : ""),
  ];
  if (summary.byCategory.length > 0) {
    const width = Math.min(28, Math.max(...summary.byCategory.map((row) => row.category.length)));
    lines.push("  by category:");
    for (const row of summary.byCategory) {
      lines.push(
        `    ${row.category.slice(0, width).padEnd(width)}  ${`${row.wins}/${row.ties}/${row.losses}`.padStart(10)}  ${formatCrr(row.crr).padStart(7)}`,
      );
    }
  }
  if (counts.failed > 0)
    lines.push(
      `  failed    ${counts.failed} instructions (not counted; latest: ${detail.failures[0]?.error ?? "n/a"})`,
    );
  if (counts.pending > 0) lines.push(`  pending   ${counts.pending} instructions not judged`);
  if (evaluation.lastError) lines.push(`  error     ${evaluation.lastError}`);
  lines.push(
    `  LLM       ${llm.calls} calls (${llm.cacheHits} from cache, ${llm.errors} errors), ` +
      `${llm.promptTokens.toLocaleString("en-US")} prompt + ${llm.completionTokens.toLocaleString("en-US")} completion tokens, $${llm.costUsd.toFixed(4)}`,
  );
  if (extra.outFile) lines.push(`  report    → ${extra.outFile}`);
  return lines;
}

/** Runs the whole command; returns the exit code (0 completed, 1 failed, 130 interrupted). */
export async function evaluate(options: EvaluateOptions): Promise<number> {
  const database = await openDatabase();
  setDatabaseUrl(database.url);
  configurePipeline({ concurrency: options.concurrency, log: consoleLog("error") });
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write("\nStopping: cancelling the evaluation (press Ctrl-C again to quit at once)…\n");
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  const display = createDisplay(process.stderr);
  const worker = await startWorker({ processors: ["evaluation"], concurrency: options.concurrency }).catch(
    async (error: unknown) => {
      await closePipelineServices();
      await closeDb();
      await database.stop();
      throw error;
    },
  );
  try {
    const projectId = await projectFor(options);
    const set = await addSet(options, projectId).catch((error: unknown) => {
      throw asEvaluateError(error);
    });
    if (set.licenseNotice) process.stderr.write(`${set.name}: ${set.licenseNotice}\n`);
    if (set.seedOverlap > 0) {
      process.stderr.write(
        `Warning: ${set.seedOverlap} instructions of ${set.name} are also seeds of project ${projectId}: keep test instructions out of training data.\n`,
      );
    }
    const endpoint = (
      role: "target" | "strong" | "judge",
      target: { url: string; model: string; apiKeyEnv: string | null },
    ) =>
      customEndpoint(role, {
        baseUrl: target.url,
        model: target.model,
        apiKeyEnv: target.apiKeyEnv,
        maxConcurrency: options.concurrency,
      });
    const { evaluationId } = await startEvaluation({
      projectId,
      setId: set.setId,
      name: options.name ?? undefined,
      target: endpoint("target", options.target),
      reference: endpoint("strong", options.reference),
      judge: options.judge ? endpoint("judge", options.judge) : null,
    });
    process.stderr.write(
      `Evaluation ${evaluationId} of project ${projectId} started: ${set.instructionCount} instructions (database ${redactUrl(database.url)})\n`,
    );
    let detail = await getEvaluationDetail(getPool(), projectId, evaluationId);
    let cancelled = false;
    while (!ended.has(detail.evaluation.state)) {
      if (interrupted && !cancelled) {
        cancelled = true;
        await cancelEvaluation(evaluationId);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
      detail = await getEvaluationDetail(getPool(), projectId, evaluationId);
      display.update(detail);
    }
    display.stop();
    if (options.outFile) {
      const report = await buildEvaluationReport(getPool(), projectId, evaluationId);
      const target = path.resolve(options.outFile);
      const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
      await writeFile(temporary, `${JSON.stringify(report, null, 2)}\n`);
      await rename(temporary, target);
    }
    for (const line of formatEvaluationSummary(detail, { outFile: options.outFile }))
      process.stdout.write(`${line}\n`);
    if (detail.evaluation.state === "failed")
      throw new EvaluateError(detail.evaluation.lastError ?? "The evaluation failed");
    return detail.evaluation.state === "cancelled" ? 130 : 0;
  } finally {
    display.stop();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    await worker.stop({ graceMs: 5000 });
    await closePipelineServices();
    await closeDb();
    await database.stop();
  }
}

// What the CLI shows while a run goes and when it ends: a progress bar on a terminal, a plain line every few
// seconds otherwise (CI logs), and a summary per stage with calls, cache hits, tokens and cost.
import cliProgress from "cli-progress";
import type { RunProgress } from "@/lib/pipeline/progress";

function stageLine(progress: RunProgress): string {
  const { encode, rubrics, decode, iterate } = progress.stages;
  const parts: string[] = [];
  if (progress.run.poolMode === "encode") parts.push(`encode ${encode.done + encode.failed}/${encode.total}`);
  parts.push(`rubrics ${rubrics.done + rubrics.failed}/${rubrics.total}`);
  parts.push(`decode ${decode.done + decode.failed}/${decode.total}`);
  parts.push(`versions ${iterate.total - iterate.pending}/${iterate.total}`);
  return parts.join(" · ");
}

export function formatProgressLine(progress: RunProgress): string {
  const eta = progress.etaSeconds === null ? "" : ` · ETA ${Math.ceil(progress.etaSeconds)}s`;
  return (
    `kept ${progress.kept}/${progress.targetSize} · ${stageLine(progress)} · ${progress.llm.calls} calls ` +
    `(${progress.llm.cacheHits} cached) · ${progress.run.errorCount} errors${eta}`
  );
}

export interface ProgressDisplay {
  update(progress: RunProgress): void;
  stop(): void;
}

export function createProgressDisplay(stream: NodeJS.WriteStream, plainEveryMs = 5000): ProgressDisplay {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format:
          "{bar} {value}/{total} kept | {stages} | {calls} calls, {cached} cached | {errors} errors | {eta_formatted}",
        stream,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(progress) {
        const payload = {
          stages: stageLine(progress),
          calls: progress.llm.calls,
          cached: progress.llm.cacheHits,
          errors: progress.run.errorCount,
        };
        if (!started) {
          bar.start(progress.targetSize, Math.min(progress.kept, progress.targetSize), payload);
          started = true;
        } else bar.update(Math.min(progress.kept, progress.targetSize), payload);
      },
      stop: () => {
        if (started) bar.stop();
      },
    };
  }
  let lastPrinted = 0;
  return {
    update(progress) {
      if (Date.now() - lastPrinted < plainEveryMs) return;
      lastPrinted = Date.now();
      stream.write(`${formatProgressLine(progress)}\n`);
    },
    stop: () => undefined,
  };
}

function stageRow(
  name: string,
  stage: { total: number; done: number; failed: number; pending: number },
): string {
  return `  ${name.padEnd(9)} ${String(stage.done).padStart(6)} done ${String(stage.failed).padStart(5)} failed ${String(stage.total).padStart(6)} total`;
}

export function formatSummary(
  progress: RunProgress,
  extra: { outFile?: string; written?: number; sha256?: string; exportId?: number } = {},
): string[] {
  const { stages, llm, run } = progress;
  const { iterate } = stages;
  const lines = [
    `Run ${run.id}: ${run.state}${run.stopReason ? ` (${run.stopReason.replace(/_/g, " ")})` : ""} in ${run.elapsedSeconds.toFixed(1)} s`,
  ];
  if (run.poolMode === "encode") {
    lines.push(stageRow("encode", stages.encode), stageRow("pool", stages.pool));
  }
  lines.push(stageRow("rubrics", stages.rubrics), stageRow("decode", stages.decode));
  lines.push(
    `  versions  ${iterate.total} (${iterate.basicInstructions} basic): ${iterate.kept} kept, ${iterate.improved} rewritten, ` +
      `${iterate.dropped} dropped, ${iterate.failed} failed, ${iterate.pending} not reached`,
  );
  const byIteration = Object.entries(iterate.keptByIteration)
    .map(([iteration, count]) => `it.${iteration}: ${count}`)
    .join(", ");
  lines.push(
    `  kept      ${progress.kept} of ${progress.targetSize} wanted (${iterate.keptStrong} strong, ${iterate.keptTarget} target answers${byIteration ? `; ${byIteration}` : ""})`,
  );
  lines.push(
    `  LLM       ${llm.calls} calls (${llm.ok} answered, ${llm.cacheHits} from cache, ${llm.errors} errors), ` +
      `${Math.round(llm.promptTokens).toLocaleString("en-US")} prompt + ${Math.round(llm.completionTokens).toLocaleString("en-US")} completion tokens, ` +
      `$${llm.costUsd.toFixed(4)}`,
  );
  if (run.errorCount > 0)
    lines.push(
      `  errors    ${run.errorCount} item failures recorded (latest: ${progress.errors[0]?.message ?? "n/a"})`,
    );
  if (extra.outFile !== undefined) lines.push(`  output    ${extra.written ?? 0} records → ${extra.outFile}`);
  if (extra.sha256 !== undefined)
    lines.push(
      `  export    #${extra.exportId ?? "?"} sha256 ${extra.sha256} (also on the project's Export page)`,
    );
  return lines;
}

/** The summary for scripts (--json): the same figures as formatSummary, as one object. */
export function summaryJson(
  progress: RunProgress,
  extra: { outFile?: string; written?: number; sha256?: string; exportId?: number } = {},
) {
  const { run, llm, stages } = progress;
  return {
    runId: run.id,
    state: run.state,
    stopReason: run.stopReason,
    elapsedSeconds: run.elapsedSeconds,
    kept: progress.kept,
    targetSize: progress.targetSize,
    stages,
    llm,
    errorCount: run.errorCount,
    latestError: progress.errors[0]?.message ?? null,
    outFile: extra.outFile ?? null,
    written: extra.written ?? null,
    sha256: extra.sha256 ?? null,
    exportId: extra.exportId ?? null,
  };
}

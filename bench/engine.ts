// The engine against a fake OpenAI-compatible server (its own process) at a fixed latency L = 200 ms with
// concurrency C = 64: throughput over the run's steady state as a share of the ideal C/L, the app's CPU time per
// LLM call, LLM calls per kept instruction, and the cache-hit share of a re-run of the same config (goal 100%).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { closeDb, getDb, getPool, setDatabaseUrl } from "@/lib/db/client";
import { countActiveJobsOfRun } from "@/lib/jobs/queue";
import { collectLlmUsage, getRunProgress, type RunProgress } from "@/lib/pipeline/progress";
import { startRun } from "@/lib/pipeline/run-control";
import { closePipelineServices, configurePipeline, pipelineSettings } from "@/lib/pipeline/services";
import { startWorker } from "@/lib/jobs/worker-runtime";
import { createPipelineProject } from "@/test/pipeline-fixtures";
import type { Benchmark, BenchmarkRow } from "./types";

const latencyMs = 200;
const concurrency = 64;
/** 20 seeds → a pool of 200 entries × 12 basic instructions each: about 11,000 LLM calls, a minute at C/L. */
const settings = { poolSize: 200, targetDatasetSize: 2400, maxIterations: 4, gapThreshold: 3, randomSeed: 7 };
const seeds = 20;

async function startFakeServer(): Promise<{ url: string; child: ChildProcess }> {
  const serverFile = path.join(import.meta.dirname, "..", "test", "fake-llm", "server.ts");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", serverFile, "--port", "0", "--latency", String(latencyMs)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`The fake LLM server exited with code ${code}`)));
  });
  return { url, child };
}

async function runToEnd(
  projectId: number,
): Promise<{ runId: number; progress: RunProgress; seconds: number; cpuMs: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { runId } = await startRun(projectId, { maxDecodeRounds: 1 });
  for (;;) {
    const progress = await getRunProgress(runId);
    const ended = ["completed", "failed", "cancelled"].includes(progress.run.state);
    if (ended && (await countActiveJobsOfRun(getPool(), runId, pipelineSettings().expireSeconds)) === 0) {
      const cpu = process.cpuUsage(cpuBefore);
      if (progress.run.state !== "completed")
        throw new Error(`Run ${runId} ended ${progress.run.state}: ${progress.run.lastError}`);
      return {
        runId,
        progress: await getRunProgress(runId),
        seconds: (performance.now() - started) / 1000,
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Calls per second between the 10th and 90th percentile of completion times: the steady state, without the start and the tail. */
async function steadyThroughput(runId: number): Promise<{ callsPerSecond: number; windowSeconds: number }> {
  const result = await getPool().query<{ t: number }>(
    `SELECT extract(epoch FROM "createdAt")::float8 AS t FROM "LlmCall" WHERE "runId" = $1 AND status = 'ok' ORDER BY "createdAt"`,
    [runId],
  );
  const times = result.rows.map((row) => row.t);
  const low = Math.floor(times.length * 0.1);
  const high = Math.floor(times.length * 0.9);
  const windowSeconds = times[high]! - times[low]!;
  return { callsPerSecond: (high - low) / windowSeconds, windowSeconds };
}

export const engineBenchmark: Benchmark = {
  name: "engine",
  description: `full runs on ${seeds} Self-Instruct seeds against a fake server at L = ${latencyMs} ms, C = ${concurrency}`,
  run: async ({ databaseUrl }) => {
    setDatabaseUrl(databaseUrl);
    configurePipeline({ concurrency, superviseSeconds: 30, log: () => undefined });
    const server = await startFakeServer();
    const worker = await startWorker({ processors: ["pipeline"], concurrency });
    try {
      const options = { serverUrl: server.url, seeds, settings, maxConcurrency: concurrency };
      const first = await runToEnd(
        await createPipelineProject(getDb(), getPool(), { ...options, name: "bench engine" }),
      );
      const usage = first.progress.llm;
      const steady = await steadyThroughput(first.runId);
      const ideal = concurrency / (latencyMs / 1000);
      const ratio = steady.callsPerSecond / ideal;
      const overall = usage.ok / first.seconds / ideal;

      const rerun = await runToEnd(
        await createPipelineProject(getDb(), getPool(), { ...options, name: "bench engine re-run" }),
      );
      const rerunUsage = await collectLlmUsage(getPool(), rerun.runId);
      const cacheShare = rerunUsage.cacheHits / rerunUsage.calls;
      const rows: BenchmarkRow[] = [
        { metric: "LLM calls (first run)", value: usage.ok.toLocaleString("en-US") },
        { metric: "kept instructions", value: String(first.progress.kept) },
        { metric: "run seconds", value: first.seconds.toFixed(1) },
        {
          metric: "throughput / ideal C/L (steady state)",
          value: `${ratio.toFixed(3)} (${steady.callsPerSecond.toFixed(0)} of ${ideal.toFixed(0)} calls/s over ${steady.windowSeconds.toFixed(0)} s)`,
          goal: "≥ 0.95",
          met: ratio >= 0.95,
        },
        { metric: "throughput / ideal C/L (whole run)", value: overall.toFixed(3) },
        { metric: "app CPU per LLM call", value: `${(first.cpuMs / usage.ok).toFixed(2)} ms` },
        {
          metric: "LLM calls per kept instruction",
          value: (usage.ok / Math.max(1, first.progress.kept)).toFixed(2),
        },
        {
          metric: "cache-hit share of a re-run",
          value: `${(cacheShare * 100).toFixed(2)}% (${rerunUsage.cacheHits} of ${rerunUsage.calls}, ${rerun.seconds.toFixed(1)} s)`,
          goal: "100%",
          met: cacheShare === 1,
        },
        {
          metric: "same kept count on the re-run",
          value: `${rerun.progress.kept} vs ${first.progress.kept}`,
        },
      ];
      return rows;
    } finally {
      await worker.stop({ graceMs: 5000 });
      await closePipelineServices();
      await closeDb();
      server.child.kill("SIGTERM");
    }
  },
};

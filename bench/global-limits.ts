// Throughput against one endpoint limit shared in PostgreSQL by 1, 2 and 4 worker processes: the fake server at
// L = 200 ms, limit C = 64, each process with 64 callers. Ideal is C / L whatever the number of processes; the
// fake records the peak calls in flight, which must never exceed C.
import { spawn } from "node:child_process";
import path from "node:path";
import { startFakeLlmServer } from "@/test/fake-llm/server";
import type { Benchmark, BenchmarkRow } from "./types";

const latencyMs = 200;
const limit = 64;
const seconds = 20;
const model = "fake-bench-global";

function runChild(databaseUrl: string, serverUrl: string): Promise<{ calls: number; rssMb: number }> {
  const file = path.join(import.meta.dirname, "global-limits-child.ts");
  const child = spawn(
    process.execPath,
    ["--import", "tsx", file, databaseUrl, serverUrl, String(limit), String(seconds)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once("exit", (code) => {
      const line = output.trim().split("\n").pop() ?? "";
      if (code !== 0) reject(new Error(`a benchmark worker exited with code ${code}`));
      else resolve(JSON.parse(line) as { calls: number; rssMb: number });
    }),
  );
}

export const globalLimitsBenchmark: Benchmark = {
  name: "global-limits",
  description: `1, 2 and 4 processes sharing one endpoint limit C = ${limit} at L = ${latencyMs} ms, ${seconds} s each`,
  run: async ({ databaseUrl }) => {
    const server = await startFakeLlmServer({ latencyMs });
    const ideal = limit / (latencyMs / 1000);
    const rows: BenchmarkRow[] = [];
    try {
      for (const processes of [1, 2, 4]) {
        server.resetStats();
        const started = performance.now();
        const results = await Promise.all(
          Array.from({ length: processes }, () => runChild(databaseUrl, server.url)),
        );
        const elapsed = (performance.now() - started) / 1000;
        const calls = results.reduce((sum, result) => sum + result.calls, 0);
        // Process start-up is inside `elapsed`: the callers' own window is `seconds`.
        const ratio = calls / seconds / ideal;
        const peak = server.stats().inFlightMaxByModel[model] ?? 0;
        rows.push({
          metric: `${processes} process${processes > 1 ? "es" : ""}: throughput / ideal C/L`,
          value: `${ratio.toFixed(3)} (${(calls / seconds).toFixed(0)} of ${ideal.toFixed(0)} calls/s; ${elapsed.toFixed(0)} s with start-up)`,
          goal: processes > 1 ? "≥ 0.9" : "≥ 0.95",
          met: ratio >= (processes > 1 ? 0.9 : 0.95),
        });
        rows.push({
          metric: `${processes} process${processes > 1 ? "es" : ""}: peak calls in flight`,
          value: `${peak} (limit ${limit}); RSS per process ${results.map((result) => result.rssMb.toFixed(0)).join(", ")} MB`,
          goal: `≤ ${limit}`,
          met: peak <= limit,
        });
      }
    } finally {
      await server.stop();
    }
    return rows;
  },
};

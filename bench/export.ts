// Export end to end: 1,000,000 generated kept pairs → keyset batches from PostgreSQL → format writer → file with
// sha256, in a child process whose memory is measured alone. Goals: ≥ 50,000 records/s, peak RSS < 300 MB.
import { fork } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { ExportFormat } from "@/lib/schemas/export";
import type { ExportChildJob, ExportChildResult } from "./export-child";
import { generateExportData } from "./export-data";
import type { Benchmark, BenchmarkRow } from "./types";

const recordCount = 1_000_000;
const formats: ExportFormat[] = ["chat", "alpaca-parquet"];
const goalRecordsPerSecond = 50_000;
const goalPeakRssMb = 300;

function exportInChild(job: ExportChildJob): Promise<ExportChildResult> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(import.meta.dirname, "export-child.ts"), {
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    child.once(
      "message",
      (message: { ok: true; result: ExportChildResult } | { ok: false; error: string }) => {
        settled = true;
        if (message.ok) resolve(message.result);
        else reject(new Error(message.error));
      },
    );
    child.once("exit", (code) => {
      if (!settled) reject(new Error(`The export process exited with code ${code} before reporting`));
    });
    child.send(job);
  });
}

function rowsFor(format: ExportFormat, result: ExportChildResult): BenchmarkRow[] {
  const rate = result.recordCount / result.seconds;
  const peak = Math.max(result.peakRssSampledMb, result.peakRssHwmMb ?? 0);
  return [
    { metric: `${format}: records`, value: result.recordCount.toLocaleString("en-US") },
    { metric: `${format}: file size`, value: `${(result.byteSize / 2 ** 20).toFixed(0)} MB` },
    { metric: `${format}: seconds`, value: result.seconds.toFixed(2) },
    {
      metric: `${format}: records/s`,
      value: Math.round(rate).toLocaleString("en-US"),
      goal: `≥ ${goalRecordsPerSecond.toLocaleString("en-US")}`,
      met: rate >= goalRecordsPerSecond,
    },
    {
      metric: `${format}: peak RSS (MB; sampled every 50 ms / process high-water mark)`,
      value: `${result.peakRssSampledMb.toFixed(0)} / ${result.peakRssHwmMb?.toFixed(0) ?? "n/a"}`,
      goal: `< ${goalPeakRssMb}`,
      met: peak < goalPeakRssMb,
    },
  ];
}

export const exportBenchmark: Benchmark = {
  name: "export",
  description: `export ${recordCount.toLocaleString("en-US")} generated kept pairs as chat JSONL and Parquet (with edits and provenance)`,
  run: async ({ databaseUrl }) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const directory = mkdtempSync(path.join(tmpdir(), "codeclm-bench-export-"));
    let projectId: number | undefined;
    try {
      const data = await generateExportData(pool, recordCount);
      projectId = data.projectId;
      console.log(
        `  generated ${data.rows.toLocaleString("en-US")} kept pairs in ${data.seconds.toFixed(1)} s`,
      );
      const rows: BenchmarkRow[] = [];
      for (const format of formats) {
        const result = await exportInChild({ databaseUrl, projectId, format, directory });
        // 1% of the pairs are rejected and never exported.
        if (result.recordCount !== recordCount * 0.99) {
          throw new Error(`Exported ${result.recordCount} records, expected ${recordCount * 0.99}`);
        }
        rows.push(...rowsFor(format, result));
        for (const name of readdirSync(directory)) rmSync(path.join(directory, name)); // ~1 GB each
      }
      return rows;
    } finally {
      rmSync(directory, { recursive: true, force: true });
      if (projectId !== undefined) await pool.query('DELETE FROM "Project" WHERE id = $1', [projectId]);
      await pool.end();
    }
  },
};

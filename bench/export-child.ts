// Runs one export in its own process (forked by bench/export.ts) so its memory is measured alone: RSS sampled
// every 50 ms during the export, plus the kernel's high-water mark (VmHWM) for the whole process.
import { readFileSync } from "node:fs";
import pg from "pg";
import { createExport } from "@/lib/db/exports";
import { exportFilterSchema, exportOptionsSchema, type ExportFormat } from "@/lib/schemas/export";

export interface ExportChildJob {
  databaseUrl: string;
  projectId: number;
  format: ExportFormat;
  directory: string;
}

export interface ExportChildResult {
  recordCount: number;
  byteSize: number;
  sha256: string;
  seconds: number;
  rssBeforeMb: number;
  peakRssSampledMb: number;
  peakRssHwmMb: number | null;
}

const mb = (bytes: number) => bytes / 2 ** 20;

/** Peak resident set size of this process so far, from /proc (Linux only). */
function highWaterMarkMb(): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

async function run(job: ExportChildJob): Promise<ExportChildResult> {
  const pool = new pg.Pool({ connectionString: job.databaseUrl, max: 2 });
  try {
    await pool.query("SELECT 1"); // connect before measuring
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    const started = performance.now();
    const summary = await createExport(pool, {
      projectId: job.projectId,
      format: job.format,
      filter: exportFilterSchema.parse({}),
      options: exportOptionsSchema.parse({ applyEdits: true, includeProvenance: true }),
      directory: job.directory,
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    return {
      recordCount: summary.recordCount,
      byteSize: summary.byteSize,
      sha256: summary.sha256,
      seconds,
      rssBeforeMb: mb(rssBefore),
      peakRssSampledMb: mb(peak),
      peakRssHwmMb: highWaterMarkMb(),
    };
  } finally {
    await pool.end();
  }
}

process.once("message", (job: ExportChildJob) => {
  run(job).then(
    (result) => process.send?.({ ok: true, result }, () => process.exit(0)),
    (error: unknown) =>
      process.send?.(
        { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
        () => process.exit(1),
      ),
  );
});

// Where the CLI's export goes: checked before anything is paid for (the folder exists and is writable), then the
// export is made by the app's own createExport (recorded with its sha256, visible in the browser) and copied to
// --out atomically (temp file + rename), or streamed to stdout for `--out -`.
import { constants, createReadStream } from "node:fs";
import { access, copyFile, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { createExport, type ExportSummary } from "@/lib/db/exports";
import { exportFilterSchema, exportOptionsSchema, type ExportFormat } from "@/lib/schemas/export";

export const stdoutTarget = "-";

/** Checks that --out can be written; returns a problem in one line, or null. */
export async function checkOutTarget(outFile: string): Promise<string | null> {
  if (outFile === stdoutTarget) return null;
  const target = path.resolve(outFile);
  const existing = await stat(target).catch(() => null);
  if (existing?.isDirectory()) return `--out ${outFile} is a folder; give a file name inside it`;
  const folder = path.dirname(target);
  const folderInfo = await stat(folder).catch(() => null);
  if (!folderInfo?.isDirectory()) return `--out: the folder ${folder} does not exist`;
  try {
    await access(folder, constants.W_OK);
    if (existing) await access(target, constants.W_OK);
  } catch {
    return `--out: ${existing ? target : `the folder ${folder}`} is not writable`;
  }
  return null;
}

export interface RunExportRequest {
  projectId: number;
  runId: number;
  format: ExportFormat;
  provenance: "none" | "lean" | "full";
  outFile: string;
}

/** Exports the run's kept pairs through the app's export code, then delivers the file to --out or stdout. */
export async function exportRunTo(
  pool: pg.Pool,
  request: RunExportRequest,
  stdout: NodeJS.WritableStream = process.stdout,
): Promise<ExportSummary & { filePath: string }> {
  const summary = await createExport(pool, {
    projectId: request.projectId,
    format: request.format,
    filter: exportFilterSchema.parse({ runId: request.runId }),
    options: exportOptionsSchema.parse({
      applyEdits: true,
      includeProvenance: request.provenance !== "none",
      fullProvenance: request.provenance === "full",
    }),
  });
  const stored = await pool.query<{ filePath: string }>('SELECT "filePath" FROM "Export" WHERE id = $1', [
    summary.id,
  ]);
  const filePath = stored.rows[0]!.filePath;
  if (request.outFile === stdoutTarget) {
    await pipeline(createReadStream(filePath), stdout, { end: false });
  } else {
    const target = path.resolve(request.outFile);
    const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
    try {
      await copyFile(filePath, temporary);
      await rename(temporary, target);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
  return { ...summary, filePath };
}

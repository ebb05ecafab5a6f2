// What the browser sees of an export: JSON-safe (dates as ISO strings), no file paths.
import type { ExportSummary } from "@/lib/db/exports";
import type { ExportFilter, ExportFormat, ExportOptions } from "@/lib/schemas/export";

export interface ExportView {
  id: number;
  format: ExportFormat;
  filter: ExportFilter;
  options: ExportOptions;
  recordCount: number;
  byteSize: number;
  sha256: string;
  createdAt: string;
}

export function toExportView(summary: ExportSummary): ExportView {
  return {
    id: summary.id,
    format: summary.format,
    filter: summary.filter,
    options: summary.options,
    recordCount: summary.recordCount,
    byteSize: summary.byteSize,
    sha256: summary.sha256,
    createdAt: summary.createdAt.toISOString(),
  };
}

export function exportDownloadUrl(projectId: number, exportId: number): string {
  return `/api/projects/${projectId}/exports/${exportId}`;
}

/** A short human summary of what went in ("accepted only · gap ≥ 4 · iteration 1 · edits applied"). */
export function describeExport(view: Pick<ExportView, "filter" | "options">): string {
  const parts: string[] = [];
  const { filter, options } = view;
  if (options.onlyAccepted || filter.decision === "accepted") parts.push("accepted only");
  else if (filter.decision === "unreviewed") parts.push("not yet reviewed");
  else if (filter.decision === "rejected") parts.push("rejected (never exported)");
  else parts.push("all kept");
  if (filter.gapMin !== undefined && filter.gapMax !== undefined)
    parts.push(`gap ${filter.gapMin} to ${filter.gapMax}`);
  else if (filter.gapMin !== undefined) parts.push(`gap ≥ ${filter.gapMin}`);
  else if (filter.gapMax !== undefined) parts.push(`gap ≤ ${filter.gapMax}`);
  if (filter.iteration !== undefined) parts.push(`iteration ${filter.iteration}`);
  if (filter.useCase) parts.push(`use case "${filter.useCase}"`);
  if (filter.skill) parts.push(`skill "${filter.skill}"`);
  if (filter.runId !== undefined) parts.push(`run #${filter.runId}`);
  if (filter.search) parts.push(`matching "${filter.search}"`);
  parts.push(options.applyEdits ? "edits applied" : "original text");
  if (options.fullProvenance) parts.push("with full provenance");
  else if (options.includeProvenance) parts.push("with provenance");
  return parts.join(" · ");
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

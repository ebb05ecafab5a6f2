"use client";

import { useMutationState, useQuery } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { exportFormatLabels } from "@/lib/schemas/export";
import { describeExport, exportDownloadUrl, formatBytes, type ExportView } from "./export-view";

function CopyHash({ sha256 }: { sha256: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <span className="inline-flex items-center gap-1">
      <code className="text-xs text-zinc-600" title={sha256}>
        {sha256.slice(0, 12)}
      </code>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Copy sha256 ${sha256}`}
        onClick={() => {
          void navigator.clipboard.writeText(sha256).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          });
        }}
      >
        {copied ? "Copied" : "Copy"}
      </Button>
    </span>
  );
}

export function ExportList({
  projectId,
  initialExports,
}: {
  projectId: number;
  initialExports: ExportView[];
}) {
  const exports = useQuery<ExportView[]>({
    queryKey: queryKeys.exportList(projectId),
    queryFn: ({ signal }) => fetchJson<ExportView[]>(`/api/projects/${projectId}/exports`, { signal }),
    initialData: initialExports,
  });
  const rows = exports.data;
  // Exports being written right now (this tab): shown at once, with their state, above the finished ones.
  const writing = useMutationState({
    filters: { mutationKey: queryKeys.exportCreate(projectId), status: "pending" },
    select: (mutation) => ({
      startedAt: mutation.state.submittedAt,
      expected: (mutation.state.variables as { recordCount?: number } | undefined)?.recordCount,
    }),
  });

  return (
    <section aria-labelledby="exports-heading" className="min-w-0 space-y-3">
      <h2 id="exports-heading" className="font-semibold">
        Past exports <span className="font-normal text-zinc-500">{rows.length}</span>
      </h2>
      {exports.error ? (
        <p role="alert" className="text-sm text-red-600">
          {exports.error.message}
        </p>
      ) : null}
      <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
        <table className="w-full text-sm">
          <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
            <tr>
              <th className="px-3 py-2 font-medium">#</th>
              <th className="px-2 py-2 font-medium">Created</th>
              <th className="px-2 py-2 font-medium">Format</th>
              <th className="px-2 py-2 text-right font-medium">Records</th>
              <th className="px-2 py-2 text-right font-medium">Size</th>
              <th className="px-2 py-2 font-medium">sha256</th>
              <th className="px-2 py-2 font-medium" />
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {writing.map((entry) => (
              <tr
                key={`writing-${entry.startedAt}`}
                data-testid="export-row-writing"
                className="bg-indigo-50/40"
              >
                <td className="px-3 py-2 text-xs text-zinc-400">…</td>
                <td className="px-2 py-2 whitespace-nowrap" suppressHydrationWarning>
                  {new Date(entry.startedAt).toLocaleString()}
                </td>
                <td className="px-2 py-2 text-indigo-800" colSpan={2}>
                  Writing
                  {entry.expected !== undefined
                    ? ` ${entry.expected.toLocaleString("en-US")} record${entry.expected === 1 ? "" : "s"}`
                    : ""}
                  …
                </td>
                <td className="px-2 py-2" colSpan={3} />
              </tr>
            ))}
            {rows.length === 0 && writing.length === 0 ? (
              <tr>
                <td colSpan={7} className="px-3 py-8 text-center text-sm text-zinc-500">
                  No exports yet. Each export is kept here and can be downloaded again.
                </td>
              </tr>
            ) : (
              rows.map((row) => (
                <tr key={row.id} className="align-top hover:bg-zinc-50" data-testid={`export-row-${row.id}`}>
                  <td className="px-3 py-2 text-xs text-zinc-400 tabular-nums">{row.id}</td>
                  <td className="px-2 py-2 whitespace-nowrap" suppressHydrationWarning>
                    {new Date(row.createdAt).toLocaleString()}
                  </td>
                  <td className="px-2 py-2">
                    <div>{exportFormatLabels[row.format].split(" (")[0]}</div>
                    <div className="text-xs text-zinc-500">{describeExport(row)}</div>
                  </td>
                  <td className="px-2 py-2 text-right tabular-nums">
                    {row.recordCount.toLocaleString("en-US")}
                  </td>
                  <td className="px-2 py-2 text-right whitespace-nowrap tabular-nums">
                    {formatBytes(row.byteSize)}
                  </td>
                  <td className="px-2 py-2 whitespace-nowrap">
                    <CopyHash sha256={row.sha256} />
                  </td>
                  <td className="px-2 py-2">
                    <a
                      className="font-medium text-indigo-700 hover:underline"
                      href={exportDownloadUrl(projectId, row.id)}
                      download
                    >
                      Download
                    </a>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

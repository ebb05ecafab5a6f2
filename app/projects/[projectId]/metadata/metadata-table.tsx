"use client";

import { Button } from "@/components/ui/button";
import type { MetadataRow } from "@/lib/db/metadata";

/** A row as it arrives over JSON. */
export type MetadataTableRow = Omit<MetadataRow, "createdAt"> & { createdAt: string };

const originBadges: Record<MetadataRow["origin"], { label: string; className: string }> = {
  seed: { label: "seed", className: "bg-sky-50 text-sky-800" },
  mixed: { label: "mixed", className: "bg-violet-50 text-violet-800" },
  handwritten: { label: "by hand", className: "bg-amber-50 text-amber-800" },
};

function CheckResult({ row }: { row: MetadataTableRow }) {
  if (!row.checked) return <span className="text-zinc-400">not checked</span>;
  if (row.plausible === false) {
    return (
      <span className="text-red-700" title={row.checkNote ?? undefined}>
        ✗ implausible
        {row.checkNote ? <span className="block text-xs text-zinc-500">{row.checkNote}</span> : null}
      </span>
    );
  }
  return (
    <span className="text-emerald-700" title={row.checkNote ?? undefined}>
      ✓ plausible
    </span>
  );
}

export function MetadataTable({
  rows,
  filtered,
  selected,
  onSelectedChange,
  onEdit,
}: {
  rows: MetadataTableRow[];
  filtered: boolean;
  selected: Set<number>;
  onSelectedChange: (next: Set<number>) => void;
  onEdit: (row: MetadataTableRow) => void;
}) {
  const allOnPageSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));
  function toggle(ids: number[], on: boolean) {
    const next = new Set(selected);
    for (const id of ids) {
      if (on) next.add(id);
      else next.delete(id);
    }
    onSelectedChange(next);
  }

  return (
    <div className="overflow-x-auto rounded-lg border border-zinc-200 bg-white">
      <table className="w-full min-w-[44rem] table-fixed text-sm">
        <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
          <tr>
            <th className="w-9 px-3 py-2">
              <input
                type="checkbox"
                aria-label="Select all entries on this page"
                checked={allOnPageSelected}
                onChange={() =>
                  toggle(
                    rows.map((row) => row.id),
                    !allOnPageSelected,
                  )
                }
              />
            </th>
            <th className="w-14 px-2 py-2 font-medium">#</th>
            <th className="w-1/4 px-2 py-2 font-medium">Use case</th>
            <th className="px-2 py-2 font-medium">Skills</th>
            <th className="w-20 px-2 py-2 font-medium">Origin</th>
            <th className="w-28 px-2 py-2 font-medium">Check</th>
            <th className="w-16 px-2 py-2 font-medium">Rubrics</th>
            <th className="w-20 px-2 py-2 text-right font-medium">Versions</th>
            <th className="w-16 px-2 py-2" />
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.length === 0 ? (
            <tr>
              <td colSpan={9} className="px-3 py-8 text-center text-sm text-zinc-500">
                {filtered ? "No entry matches these filters." : "No entries yet: add one with the form."}
              </td>
            </tr>
          ) : (
            rows.map((row) => {
              const badge = originBadges[row.origin];
              const locked = row.versionCount > 0;
              return (
                <tr key={row.id} className="align-top hover:bg-zinc-50">
                  <td className="px-3 py-1.5">
                    <input
                      type="checkbox"
                      aria-label={`Select entry ${row.id}`}
                      checked={selected.has(row.id)}
                      onChange={(event) => toggle([row.id], event.target.checked)}
                    />
                  </td>
                  <td className="px-2 py-1.5 text-xs tabular-nums text-zinc-400">{row.id}</td>
                  <td className="px-2 py-1.5 break-words">{row.useCase}</td>
                  <td className="px-2 py-1.5">
                    <div className="flex flex-wrap gap-1">
                      {row.skills.map((skill) => (
                        <span key={skill} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">
                          {skill}
                        </span>
                      ))}
                    </div>
                  </td>
                  <td className="px-2 py-1.5">
                    <span
                      className={`rounded px-1.5 py-0.5 text-xs ${badge.className}`}
                      title={row.seedId !== null ? `Encoded from seed #${row.seedId}` : undefined}
                    >
                      {badge.label}
                    </span>
                  </td>
                  <td className="px-2 py-1.5 text-xs">
                    <CheckResult row={row} />
                  </td>
                  <td className="px-2 py-1.5 text-xs">
                    {row.hasRubricSet ? (
                      <span className="text-emerald-700">✓ written</span>
                    ) : (
                      <span className="text-zinc-400">—</span>
                    )}
                  </td>
                  <td className="px-2 py-1.5 text-right text-xs tabular-nums">
                    {row.versionCount.toLocaleString("en-US")}
                  </td>
                  <td className="px-2 py-1.5 text-right">
                    {/* The title sits on a wrapper: disabled buttons get no hover in some browsers. */}
                    <span
                      title={
                        locked
                          ? "Instructions were generated from this entry: editing it would break their lineage"
                          : undefined
                      }
                    >
                      <Button
                        size="sm"
                        variant="ghost"
                        disabled={locked}
                        onClick={() => onEdit(row)}
                        aria-label={`Edit entry ${row.id}`}
                      >
                        Edit
                      </Button>
                    </span>
                  </td>
                </tr>
              );
            })
          )}
        </tbody>
      </table>
    </div>
  );
}

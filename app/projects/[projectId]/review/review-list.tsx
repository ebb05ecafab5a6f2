"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/field";
import type { ReviewListRow } from "@/lib/db/review";
import type { ReviewSort, ReviewSortField } from "@/lib/schemas/review";
import { DecisionBadge, formatScore, StateBadge } from "./review-badges";

const scoreSorts: Array<{ field: ReviewSortField; label: string; title: string }> = [
  { field: "strongScore", label: "S", title: "Strong model's score (mean of both judge orders)" },
  { field: "targetScore", label: "T", title: "Target model's score (mean of both judge orders)" },
  { field: "gap", label: "G", title: "Gap: strong score − target score" },
];

function SortButton({
  field,
  label,
  title,
  sort,
  onSort,
}: {
  field: ReviewSortField;
  label: string;
  title: string;
  sort: ReviewSort;
  onSort: (sort: ReviewSort) => void;
}) {
  const active = sort.field === field;
  return (
    <button
      type="button"
      title={title}
      className={`inline-flex items-center rounded px-0.5 hover:text-zinc-900 ${active ? "text-zinc-900" : ""}`}
      aria-label={`Sort by ${title.toLowerCase()}${active ? (sort.direction === "asc" ? ", ascending" : ", descending") : ""}`}
      onClick={() => onSort(nextSort(sort, field))}
    >
      {label}
      <span aria-hidden className="text-[10px]">
        {active ? (sort.direction === "asc" ? "▲" : "▼") : ""}
      </span>
    </button>
  );
}

export function ReviewTable({
  rows,
  selectedId,
  sort,
  onSelect,
  onSort,
  loading,
}: {
  rows: ReviewListRow[];
  selectedId: number | undefined;
  sort: ReviewSort;
  onSelect: (id: number) => void;
  onSort: (sort: ReviewSort) => void;
  loading: boolean;
}) {
  return (
    <div
      className={`overflow-hidden rounded-lg border border-zinc-200 bg-white ${loading ? "opacity-70" : ""}`}
    >
      <table className="w-full table-fixed text-sm" data-testid="review-table" aria-busy={loading}>
        <thead className="bg-zinc-50 text-left text-xs text-zinc-500">
          <tr>
            <th scope="col" className="px-2 py-1.5 font-medium" title="Instruction (and its use case)">
              Instruction
            </th>
            <th scope="col" className="w-9 px-1 py-1.5 font-medium">
              <SortButton
                field="iteration"
                label="It."
                title="Iteration (1 = the basic instruction)"
                sort={sort}
                onSort={onSort}
              />
            </th>
            <th scope="col" className="w-[6.5rem] px-1 py-1.5 font-medium">
              {scoreSorts.map((column, index) => (
                <span key={column.field}>
                  {index > 0 ? <span aria-hidden> · </span> : null}
                  <SortButton {...column} sort={sort} onSort={onSort} />
                </span>
              ))}
            </th>
            <th
              scope="col"
              className="w-[4.75rem] px-1 py-1.5 font-medium"
              title="Pipeline state and human decision"
            >
              State
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {rows.map((row) => {
            const selected = row.id === selectedId;
            return (
              <tr
                key={row.id}
                data-testid="review-row"
                data-id={row.id}
                aria-current={selected ? "true" : undefined}
                onClick={() => onSelect(row.id)}
                className={`cursor-pointer align-top ${selected ? "bg-indigo-50 outline-2 -outline-offset-2 outline-indigo-400" : "hover:bg-zinc-50"}`}
              >
                <td className="px-2 py-1.5">
                  <button
                    type="button"
                    className="block w-full text-left focus:outline-none"
                    aria-label={`Open instruction ${row.id}`}
                    onClick={(event) => {
                      event.stopPropagation();
                      onSelect(row.id);
                    }}
                  >
                    <span className="line-clamp-3 break-words text-zinc-900">
                      {row.edited ? (
                        <span className="mr-1 text-[11px] font-medium text-amber-700">[edited]</span>
                      ) : null}
                      {row.excerpt}
                    </span>
                    <span className="block truncate text-[11px] text-zinc-500">
                      #{row.id} · {row.useCase}
                    </span>
                  </button>
                </td>
                <td className="px-1 py-1.5 tabular-nums text-zinc-600">{row.iteration}</td>
                <td className="px-1 py-1.5 text-xs tabular-nums">
                  <span title="Strong score / target score">
                    {formatScore(row.strongScore)} / {formatScore(row.targetScore)}
                  </span>
                  <span className="block font-semibold text-zinc-900" title="Gap (strong − target)">
                    G {formatScore(row.gap)}
                  </span>
                </td>
                <td className="space-y-0.5 px-1 py-1.5">
                  <StateBadge state={row.state} />
                  <div>
                    <DecisionBadge decision={row.reviewDecision} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Clicking the active column flips it; a new column starts with the largest (scores) or first (iteration, time). */
export function nextSort(current: ReviewSort, field: ReviewSortField): ReviewSort {
  if (current.field === field) return { field, direction: current.direction === "asc" ? "desc" : "asc" };
  return { field, direction: field === "iteration" || field === "createdAt" ? "asc" : "desc" };
}

export function ReviewPager({
  page,
  pageSize,
  rowsOnPage,
  total,
  hasPrev,
  hasNext,
  onFirst,
  onPrev,
  onNext,
  onLast,
  onGoTo,
}: {
  page: number;
  pageSize: number;
  rowsOnPage: number;
  total: number | undefined;
  hasPrev: boolean;
  hasNext: boolean;
  onFirst: () => void;
  onPrev: () => void;
  onNext: () => void;
  onLast: () => void;
  onGoTo: (page: number) => void;
}) {
  const pages = total === undefined ? undefined : Math.max(1, Math.ceil(total / pageSize));
  const first = rowsOnPage === 0 ? 0 : (page - 1) * pageSize + 1;
  const [target, setTarget] = useState("");
  const targetPage = Number(target);
  const targetValid =
    Number.isInteger(targetPage) && targetPage >= 1 && (pages === undefined || targetPage <= pages);
  const format = (value: number) => value.toLocaleString("en-US");
  return (
    <nav
      aria-label="Review pages"
      className="flex flex-wrap items-center justify-between gap-2 text-xs text-zinc-600"
    >
      <span data-testid="review-range">
        {rowsOnPage === 0 ? "No rows" : `${format(first)}–${format(first + rowsOnPage - 1)}`}
        {total === undefined ? " of …" : ` of ${format(total)}`}
      </span>
      <div className="flex items-center gap-1">
        <Button size="sm" onClick={onFirst} disabled={!hasPrev} aria-label="First page">
          «
        </Button>
        <Button size="sm" onClick={onPrev} disabled={!hasPrev} aria-label="Previous page">
          ‹ Prev
        </Button>
        <span className="px-1.5" data-testid="review-page">
          Page {format(page)}
          {pages === undefined ? "" : ` of ${format(pages)}`}
        </span>
        <Button size="sm" onClick={onNext} disabled={!hasNext} aria-label="Next page">
          Next ›
        </Button>
        <Button size="sm" onClick={onLast} disabled={!hasNext || pages === undefined} aria-label="Last page">
          »
        </Button>
        <form
          className="ml-2 flex items-center gap-1"
          onSubmit={(event) => {
            event.preventDefault();
            if (!targetValid) return;
            onGoTo(targetPage);
            setTarget("");
          }}
        >
          <Input
            type="number"
            min={1}
            max={pages}
            aria-label="Go to page"
            aria-invalid={target !== "" && !targetValid ? true : undefined}
            placeholder="page"
            value={target}
            onChange={(event) => setTarget(event.target.value)}
            className="h-7 w-20 text-xs"
          />
          <Button size="sm" type="submit" disabled={!targetValid}>
            Go
          </Button>
        </form>
      </div>
    </nav>
  );
}

"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { fetchJson, queryKeys } from "@/lib/client/api";
import type { ReviewDetail, ReviewFacets, ReviewPage } from "@/lib/db/review";
import {
  isDefaultReviewFilter,
  parseReviewView,
  reviewFilterParams,
  reviewViewParams,
  type ReviewFilter,
  type ReviewView,
} from "@/lib/schemas/review";
import { ReviewDetailPane, type EditTarget } from "./review-detail";
import { ReviewFilterBar } from "./review-filter-bar";
import { ResizableSplit, useReviewMode } from "./review-layout";
import { ReviewPager, ReviewTable } from "./review-list";
import { listRequestParams, reviewPageSize } from "./review-request";
import { reviewShortcut, shortcutLegend, type ReviewShortcut } from "./review-shortcuts";
import { useReviewActions, type UndoEntry } from "./use-review-actions";
import { countHandDecisionsAction } from "./review-actions";
import { unwrapAction } from "@/lib/errors";

export function ReviewScreen({
  projectId,
  facets,
  initialRequest,
  initialPage,
}: {
  projectId: number;
  facets: ReviewFacets;
  /** listRequestParams of the view the server rendered, and its page. */
  initialRequest: string;
  initialPage: ReviewPage;
}) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const view = useMemo(() => parseReviewView(searchParams).view, [searchParams]);
  const queryClient = useQueryClient();
  const searchRef = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useReviewMode();
  const noteRef = useRef<HTMLTextAreaElement>(null);

  // The URL is the state: history entries for filters and pages (shareable, reloadable), replaced for selection.
  const setView = (next: ReviewView, mode: "push" | "replace" = "push") => {
    const query = reviewViewParams(next).toString();
    const url = query ? `${pathname}?${query}` : pathname;
    if (mode === "push") window.history.pushState(null, "", url);
    else window.history.replaceState(null, "", url);
  };

  const filterQuery = reviewFilterParams(view.filter).toString();
  const count = useQuery({
    queryKey: queryKeys.reviewCount(projectId, filterQuery),
    queryFn: ({ signal }) =>
      fetchJson<{ count: number }>(`/api/projects/${projectId}/review/count`, {
        params: filterQuery,
        signal,
      }),
    staleTime: 30_000,
  });
  const total = count.data?.count;
  const request = listRequestParams(view, total);
  const list = useQuery({
    queryKey: queryKeys.reviewList(projectId, request),
    queryFn: ({ signal }) =>
      fetchJson<ReviewPage>(`/api/projects/${projectId}/review`, { params: request, signal }),
    placeholderData: keepPreviousData,
    initialData: request === initialRequest ? initialPage : undefined,
  });
  const page = list.data;
  const rows = useMemo(() => page?.rows ?? [], [page]);

  // Without an item in the URL the first row (or the last, after moving back a page) is selected.
  const [edge, setEdge] = useState<"first" | "last">("first");
  const settledRows = list.isPlaceholderData ? [] : rows;
  // The selection is also kept here, not only in the URL: Next applies URL changes after a pending server action
  // answers, and moving on (a, r, j) must not wait for the save of the previous decision.
  const [picked, setPicked] = useState<{ request: string; id: number } | null>(null);
  const pickedId = picked?.request === request ? picked.id : undefined;
  const selectedId = pickedId ?? view.item ?? (edge === "last" ? settledRows.at(-1)?.id : settledRows[0]?.id);
  const detail = useQuery({
    queryKey: queryKeys.reviewDetail(projectId, selectedId),
    queryFn: ({ signal }) =>
      fetchJson<ReviewDetail>(`/api/projects/${projectId}/review/${selectedId}`, { signal }),
    enabled: selectedId !== undefined,
    placeholderData: keepPreviousData,
  });
  // Have the next instruction ready before j is pressed.
  const nextId = rows[rows.findIndex((row) => row.id === selectedId) + 1]?.id;
  useEffect(() => {
    if (nextId === undefined) return;
    void queryClient.prefetchQuery({
      queryKey: queryKeys.reviewDetail(projectId, nextId),
      queryFn: ({ signal }) =>
        fetchJson<ReviewDetail>(`/api/projects/${projectId}/review/${nextId}`, { signal }),
      staleTime: 10_000,
    });
  }, [nextId, projectId, queryClient]);

  // Keep the selected row in view and start its detail at the top.
  const detailPane = useRef<HTMLElement>(null);
  useEffect(() => {
    if (selectedId === undefined) return;
    document
      .querySelector(`[data-testid="review-row"][data-id="${selectedId}"]`)
      ?.scrollIntoView({ block: "nearest" });
    detailPane.current?.scrollTo({ top: 0 });
  }, [selectedId]);

  const [editing, setEditing] = useState<{ id: number; target: EditTarget } | null>(null);
  const editTarget = editing && editing.id === selectedId ? editing.target : null;
  const [bulkDecision, setBulkDecision] = useState<"accepted" | "rejected" | null>(null);
  const [overrideHand, setOverrideHand] = useState(false);
  const actions = useReviewActions(projectId, {
    onUndone: (entry: UndoEntry) => {
      if (entry.kind === "item" && entry.versionId !== selectedId) {
        setPicked({ request, id: entry.versionId });
        setView({ ...view, item: entry.versionId }, "replace");
      }
    },
  });

  const select = (id: number) => {
    setPicked({ request, id });
    setView({ ...view, item: id }, "replace");
  };
  const goToPage = (
    pageNumber: number,
    cursor: string | null | undefined,
    nextEdge: "first" | "last" = "first",
  ) => {
    setEdge(nextEdge);
    const next: ReviewView = { filter: view.filter, sort: view.sort, page: pageNumber };
    if (cursor && pageNumber > 1) next.cursor = cursor;
    setView(next);
  };
  const pages = total === undefined ? undefined : Math.max(1, Math.ceil(total / reviewPageSize));
  const goNext = (nextEdge: "first" | "last" = "first") => {
    if (page?.hasNext) goToPage(view.page + 1, page.nextCursor, nextEdge);
  };
  const goPrev = (nextEdge: "first" | "last" = "first") => {
    if (page?.hasPrev && view.page > 1)
      goToPage(view.page - 1, view.page > 2 ? page.prevCursor : null, nextEdge);
  };
  const move = (delta: 1 | -1) => {
    const index = settledRows.findIndex((row) => row.id === selectedId);
    const target = settledRows[index + delta];
    if (index >= 0 && target) select(target.id);
    else if (index < 0 && settledRows[0]) select(settledRows[0].id);
    else if (delta > 0) goNext("first");
    else goPrev("last");
  };
  const setFilter = (filter: ReviewFilter) => {
    setEdge("first");
    setView({ filter, sort: view.sort, page: 1 });
  };

  const current =
    detail.data && !detail.isPlaceholderData && detail.data.version.id === selectedId
      ? detail.data
      : undefined;
  // The list row knows the decision too, so a/r work before the detail has loaded.
  const selectedRow = settledRows.find((row) => row.id === selectedId);
  const decide = (decision: "accepted" | "rejected" | null, advance: boolean) => {
    // No wait for the previous save: a reviewer can go a, a, r, a… as fast as they read.
    if (selectedId === undefined || (!current && !selectedRow)) return;
    const before = current?.version.reviewDecision ?? selectedRow?.reviewDecision;
    if (before !== decision) actions.change.mutate({ versionId: selectedId, decision });
    if (advance && decision !== null) move(1);
  };
  const startEdit = (target: EditTarget) => {
    if (selectedId === undefined || !current) return;
    const kept = current.version.keptAnswer;
    if (target === "answer" && (!kept || !current.answers[kept])) return; // only the kept answer is edited
    setEditing({ id: selectedId, target });
  };
  const undoEntry: UndoEntry | undefined =
    actions.undoStack.at(-1) ??
    (selectedId !== undefined && current && current.reviews.length > 0
      ? { kind: "item", versionId: selectedId }
      : undefined);
  const undo = () => {
    if (undoEntry && !actions.bulkPending) actions.undo.mutate(undoEntry);
  };

  const onShortcut = useEffectEvent((shortcut: ReviewShortcut) => {
    if (shortcut === "next") move(1);
    else if (shortcut === "previous") move(-1);
    else if (shortcut === "accept") decide("accepted", true);
    else if (shortcut === "reject") decide("rejected", true);
    else if (shortcut === "edit") startEdit("instruction");
    else if (shortcut === "editAnswer") startEdit("answer");
    else if (shortcut === "undo") undo();
    else if (shortcut === "note") noteRef.current?.focus();
    else if (shortcut === "search") searchRef.current?.focus();
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const shortcut = reviewShortcut(event, { dialogOpen: document.querySelector("dialog[open]") !== null });
      if (!shortcut) return;
      event.preventDefault();
      onShortcut(shortcut);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  if (!facets.hasVersions) {
    return (
      <section
        className="rounded-lg border border-dashed border-zinc-300 bg-white p-10 text-center"
        data-testid="review-empty"
      >
        <h2 className="font-semibold">Nothing to review yet</h2>
        <p className="mt-1 text-sm text-zinc-600">
          Instructions appear here as a run judges them: start one on the{" "}
          <Link href={`/projects/${projectId}/run`} className="text-indigo-700 hover:underline">
            Run
          </Link>{" "}
          tab.
        </p>
      </section>
    );
  }

  const status = actions.status;
  const matchLabel = total === undefined ? "…" : total.toLocaleString("en-US");
  const pagerAndLegend = (
    <>
      <ReviewPager
        page={view.page}
        pageSize={reviewPageSize}
        rowsOnPage={rows.length}
        total={total}
        hasPrev={page?.hasPrev ?? false}
        hasNext={page?.hasNext ?? false}
        onFirst={() => goToPage(1, null)}
        onPrev={() => goPrev()}
        onNext={() => goNext()}
        onLast={() => pages !== undefined && goToPage(pages, null)}
        onGoTo={(target) => goToPage(target, null)}
      />
      <ShortcutLegend />
    </>
  );
  const listSection = (
    <section aria-label="Instructions" className="min-w-0 space-y-2">
      {rows.length === 0 && !list.isFetching ? (
        <div
          className="rounded-lg border border-zinc-200 bg-white p-8 text-center text-sm text-zinc-600"
          data-testid="review-no-match"
        >
          No instruction matches these filters.
          {!isDefaultReviewFilter(view.filter) ? (
            <Button size="sm" variant="ghost" onClick={() => setFilter({})}>
              Clear filters
            </Button>
          ) : null}
        </div>
      ) : (
        <ReviewTable
          rows={rows}
          selectedId={selectedId}
          sort={view.sort}
          onSelect={select}
          onSort={(sort) => {
            setEdge("first");
            setView({ filter: view.filter, sort, page: 1 });
          }}
          loading={list.isPlaceholderData}
        />
      )}
      {pagerAndLegend}
    </section>
  );
  const detailSection = (
    <section
      ref={detailPane}
      aria-label="Selected instruction"
      className="min-w-0 rounded-lg border border-zinc-200 bg-white p-3 xl:sticky xl:top-2 xl:max-h-[calc(100vh-1rem)] xl:overflow-y-auto"
    >
      {detail.error ? (
        <p role="alert" className="text-sm text-red-700">
          {detail.error.message}
        </p>
      ) : detail.data ? (
        <div className={detail.isPlaceholderData ? "opacity-60" : ""}>
          <ReviewDetailPane
            detail={detail.data}
            editing={editTarget}
            pending={actions.bulkPending || !current}
            actionError={status?.tone === "error" ? status.text : undefined}
            canUndo={undoEntry !== undefined}
            noteRef={noteRef}
            handlers={{
              onDecide: (decision) => decide(decision, false),
              onEdit: startEdit,
              onCancelEdit: () => setEditing(null),
              onSaveInstruction: (text) => {
                if (selectedId === undefined) return;
                actions.change.mutate({ versionId: selectedId, editedText: text });
                setEditing(null);
              },
              onSaveAnswer: (text) => {
                if (selectedId === undefined) return;
                actions.change.mutate({ versionId: selectedId, editedAnswer: text });
                setEditing(null);
              },
              onSaveNote: (note) =>
                selectedId !== undefined && actions.change.mutate({ versionId: selectedId, note }),
              onUndo: undo,
            }}
          />
        </div>
      ) : (
        <p className="text-sm text-zinc-500">
          {selectedId === undefined ? "Select an instruction." : "Loading…"}
        </p>
      )}
    </section>
  );
  return (
    <div className="space-y-3">
      <ReviewFilterBar filter={view.filter} facets={facets} onChange={setFilter} searchRef={searchRef} />
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <div
          role="group"
          aria-label="Reading mode"
          className="inline-flex rounded-md border border-zinc-300 text-xs"
        >
          {(
            [
              ["split", "List + detail"],
              ["focus", "One at a time"],
            ] as const
          ).map(([value, label]) => (
            <button
              key={value}
              type="button"
              aria-pressed={mode === value}
              className={`px-2 py-1 first:rounded-l-md last:rounded-r-md ${mode === value ? "bg-zinc-900 text-white" : "bg-white text-zinc-700 hover:bg-zinc-50"}`}
              onClick={() => setMode(value)}
            >
              {label}
            </button>
          ))}
        </div>
        <span data-testid="review-count">
          <span className="font-semibold tabular-nums">{matchLabel}</span> matching
        </span>
        {(["accepted", "rejected"] as const).map((decision) => (
          <Button
            key={decision}
            size="sm"
            disabled={!total || actions.bulkPending}
            onClick={() => {
              void count.refetch(); // the dialog shows the exact number the batch will touch
              setBulkDecision(decision);
            }}
          >
            {decision === "accepted" ? "Accept" : "Reject"} all {matchLabel}
          </Button>
        ))}
        <div role="status" aria-live="polite" className="min-h-5 text-sm" data-testid="review-status">
          {status ? (
            <span className={status.tone === "error" ? "text-red-700" : "text-zinc-700"}>
              {status.text}
              {status.undo && actions.undoStack.at(-1) === status.undo ? (
                <Button
                  size="sm"
                  variant="ghost"
                  className="ml-1"
                  onClick={undo}
                  disabled={actions.bulkPending}
                >
                  Undo
                </Button>
              ) : null}
            </span>
          ) : null}
        </div>
      </div>
      {list.error ? (
        <p role="alert" className="text-sm text-red-700">
          {list.error.message}
        </p>
      ) : null}
      {mode === "focus" ? (
        <div className="space-y-2">
          {detailSection}
          {pagerAndLegend}
        </div>
      ) : (
        <ResizableSplit first={listSection} second={detailSection} />
      )}
      <ConfirmDialog
        open={bulkDecision !== null}
        title={`${bulkDecision === "rejected" ? "Reject" : "Accept"} all ${matchLabel} matching instructions?`}
        confirmLabel={`${bulkDecision === "rejected" ? "Reject" : "Accept"} ${matchLabel}`}
        pending={actions.bulk.isPending}
        onCancel={() => {
          setBulkDecision(null);
          setOverrideHand(false);
        }}
        onConfirm={() =>
          bulkDecision &&
          actions.bulk.mutate(
            { filter: view.filter, decision: bulkDecision, overrideHandDecisions: overrideHand },
            {
              onSettled: () => {
                setBulkDecision(null);
                setOverrideHand(false);
              },
            },
          )
        }
      >
        Every instruction matching the current filter gets this decision, on every page, not only the rows
        shown. Those that already have it stay as they are, and so do decisions made by hand unless you tick
        the box. One Undo (u) takes the whole batch back.
        <HandDecisionsOverride
          projectId={projectId}
          filter={view.filter}
          decision={bulkDecision}
          checked={overrideHand}
          onChange={setOverrideHand}
        />
      </ConfirmDialog>
    </div>
  );
}

function ShortcutLegend() {
  return (
    <p className="text-[11px] text-zinc-500" data-testid="shortcut-legend" aria-label="Keyboard shortcuts">
      {shortcutLegend.map((entry, index) => (
        <span key={entry.keys}>
          {index > 0 ? " · " : ""}
          <kbd className="rounded border border-zinc-300 bg-zinc-50 px-1 font-mono text-[10px] text-zinc-700">
            {entry.keys}
          </kbd>{" "}
          {entry.label}
        </span>
      ))}
    </p>
  );
}

/** "Also override N decisions made by hand": N counted on the server for the filter and decision at hand. */
function HandDecisionsOverride(props: {
  projectId: number;
  filter: ReviewFilter;
  decision: "accepted" | "rejected" | null;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  const { projectId, filter, decision } = props;
  const hand = useQuery({
    queryKey: [...queryKeys.review(projectId), "hand-decisions", filter, decision],
    queryFn: () => unwrapAction(countHandDecisionsAction({ projectId, filter, decision })),
    enabled: decision !== null,
  });
  const count = hand.data?.count ?? 0;
  if (decision === null || count === 0) return null;
  return (
    <label className="mt-3 flex items-center gap-2 text-sm text-zinc-800">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
        data-testid="override-hand-decisions"
      />
      Also override {count.toLocaleString("en-US")} decision{count === 1 ? "" : "s"} made by hand
    </label>
  );
}

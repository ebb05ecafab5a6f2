"use client";

// The review mutations of the screen: decisions and edits on one instruction, bulk decisions over the filter,
// and undo (a session stack of what this reviewer did, falling back to the selected item's latest review).
// Decisions, edits, notes and undo show at once in the list and the detail (review-optimistic.ts); they are
// saved one after another in the order they were made, and an error puts the screen back with a message.
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState } from "react";
import { invalidateReviewedData, queryKeys } from "@/lib/client/api";
import type { ReviewDetail, ReviewPage } from "@/lib/db/review";
import { unwrapAction } from "@/lib/errors";
import type { ReviewFilter } from "@/lib/schemas/review";
import { bulkReviewAction, reviewItemsAction, undoReviewAction } from "./review-actions";
import {
  applyChangeToDetail,
  applyChangeToRow,
  applyUndoToDetail,
  mapPageRows,
  rowFromDetail,
  type ReviewChange,
} from "./review-optimistic";

export type { ReviewChange } from "./review-optimistic";

export type UndoEntry =
  { kind: "item"; versionId: number } | { kind: "batch"; batchId: string; count: number };

export interface Status {
  text: string;
  tone: "info" | "error";
  undo?: UndoEntry;
}

type Snapshot = [QueryKey, unknown][];

function describeChange(change: ReviewChange): string {
  if (change.decision !== undefined) {
    if (change.decision === null) return `Cleared the decision on #${change.versionId}`;
    return `${change.decision === "accepted" ? "Accepted" : "Rejected"} #${change.versionId}`;
  }
  if (change.note !== undefined && change.editedText === undefined && change.editedAnswer === undefined)
    return `Saved the note on #${change.versionId}`;
  return `Saved the edit of #${change.versionId}`;
}

export function useReviewActions(projectId: number, options: { onUndone: (entry: UndoEntry) => void }) {
  const queryClient = useQueryClient();
  const [undoStack, setUndoStack] = useState<UndoEntry[]>([]);
  const [status, setStatus] = useState<Status | null>(null);
  // One scope: the saves reach the server in the order the reviewer made them (a, then u, undoes that a).
  const scope = { id: `review-${projectId}` };
  const mutationKey = ["review-mutation", projectId];

  const settle = () => {
    // Refetch the truth once the last queued save is done; earlier refetches would wipe later optimistic rows.
    if (queryClient.isMutating({ mutationKey }) <= 1) void invalidateReviewedData(queryClient, projectId);
  };

  /** Applies an optimistic update to the cached detail and list rows of one version; returns what it replaced. */
  const patchVersion = async (
    versionId: number,
    updateDetail: (detail: ReviewDetail) => ReviewDetail,
    fallbackRow: Parameters<typeof mapPageRows>[2],
  ): Promise<Snapshot> => {
    await queryClient.cancelQueries({ queryKey: queryKeys.review(projectId) });
    const detailKey = queryKeys.reviewDetail(projectId, versionId);
    const detail = queryClient.getQueryData<ReviewDetail>(detailKey);
    const lists = queryClient.getQueriesData<ReviewPage>({ queryKey: queryKeys.reviewLists(projectId) });
    const snapshot: Snapshot = [[detailKey, detail], ...lists];
    const updated = detail ? updateDetail(detail) : undefined;
    if (updated) queryClient.setQueryData(detailKey, updated);
    for (const [key, page] of lists) {
      queryClient.setQueryData(
        key,
        mapPageRows(page, versionId, (row) => (updated ? rowFromDetail(row, updated) : fallbackRow(row))),
      );
    }
    return snapshot;
  };
  const restore = (snapshot: Snapshot | undefined) => {
    for (const [key, data] of snapshot ?? []) queryClient.setQueryData(key, data);
  };

  const change = useMutation({
    mutationKey,
    scope,
    mutationFn: ({ versionId, ...fields }: ReviewChange) =>
      unwrapAction(reviewItemsAction({ projectId, versionIds: [versionId], ...fields })),
    onMutate: async (input) => {
      const entry: UndoEntry = { kind: "item", versionId: input.versionId };
      setUndoStack((stack) => [...stack.slice(-99), entry]);
      setStatus({ text: `${describeChange(input)}.`, tone: "info", undo: entry });
      const snapshot = await patchVersion(
        input.versionId,
        (detail) => applyChangeToDetail(detail, input, new Date()),
        (row) => applyChangeToRow(row, input),
      );
      return { snapshot, entry };
    },
    onError: (error, input, context) => {
      restore(context?.snapshot);
      if (context) setUndoStack((stack) => stack.filter((item) => item !== context.entry));
      setStatus({
        text: `Not saved — ${describeChange(input).replace(/^\w/, (first) => first.toLowerCase())} was taken back: ${error.message}`,
        tone: "error",
      });
    },
    onSettled: settle,
  });

  const bulk = useMutation({
    mutationKey,
    scope,
    mutationFn: ({
      filter,
      decision,
      overrideHandDecisions,
    }: {
      filter: ReviewFilter;
      decision: "accepted" | "rejected";
      overrideHandDecisions: boolean;
    }) => unwrapAction(bulkReviewAction({ projectId, filter, decision, overrideHandDecisions })),
    onSuccess: (result, { decision }) => {
      const entry: UndoEntry = { kind: "batch", batchId: result.batchId, count: result.count };
      if (result.count > 0) setUndoStack((stack) => [...stack.slice(-99), entry]);
      const verb = decision === "accepted" ? "Accepted" : "Rejected";
      setStatus({
        text: `${verb} ${result.count.toLocaleString("en-US")} instruction${result.count === 1 ? "" : "s"} matching the filter.${
          result.keptHandDecisions > 0
            ? ` ${result.keptHandDecisions.toLocaleString("en-US")} decided otherwise by hand kept their decision.`
            : ""
        }`,
        tone: "info",
        undo: result.count > 0 ? entry : undefined,
      });
    },
    onError: (error) => setStatus({ text: error.message, tone: "error" }),
    onSettled: settle,
  });

  const undo = useMutation({
    mutationKey,
    scope,
    mutationFn: (entry: UndoEntry) =>
      unwrapAction(
        undoReviewAction(
          entry.kind === "batch"
            ? { projectId, batchId: entry.batchId }
            : { projectId, versionId: entry.versionId },
        ),
      ),
    onMutate: async (entry) => {
      setUndoStack((stack) =>
        stack.at(-1) === entry ? stack.slice(0, -1) : stack.filter((item) => item !== entry),
      );
      if (entry.kind === "batch") {
        setStatus({ text: "Undoing the bulk decision…", tone: "info" });
        return { snapshot: undefined };
      }
      setStatus({ text: `Undid the last review of #${entry.versionId}.`, tone: "info" });
      options.onUndone(entry);
      const snapshot = await patchVersion(entry.versionId, applyUndoToDetail, (row) => row);
      return { snapshot };
    },
    onSuccess: (result, entry) => {
      if (entry.kind === "batch") {
        setStatus({
          text: `Undid the bulk decision on ${result.count.toLocaleString("en-US")} instruction${result.count === 1 ? "" : "s"}.`,
          tone: "info",
        });
        options.onUndone(entry);
      }
    },
    onError: (error, entry, context) => {
      restore(context?.snapshot);
      setUndoStack((stack) => [...stack, entry]);
      setStatus({ text: `Undo failed, nothing changed: ${error.message}`, tone: "error" });
    },
    onSettled: settle,
  });

  return {
    change,
    bulk,
    undo,
    undoStack,
    status,
    clearStatus: () => setStatus(null),
    /** A bulk decision is on its way: its rows are not known yet, so single actions wait for it. */
    bulkPending: bulk.isPending,
  };
}

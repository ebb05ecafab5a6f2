"use client";

// The review mutations of the screen: decisions and edits on one instruction, bulk decisions over the filter,
// and undo (a session stack of what this reviewer did, falling back to the selected item's latest review).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ReviewPage } from "@/lib/db/review";
import type { ActionResult } from "@/lib/errors";
import type { ReviewFilter } from "@/lib/schemas/review";
import { bulkReviewAction, reviewItemsAction, undoReviewAction } from "./review-actions";

export type UndoEntry =
  { kind: "item"; versionId: number } | { kind: "batch"; batchId: string; count: number };

export interface ReviewChange {
  versionId: number;
  decision?: "accepted" | "rejected" | null;
  editedText?: string | null;
  editedAnswer?: string | null;
  note?: string;
}

export interface Status {
  text: string;
  tone: "info" | "error";
  undo?: UndoEntry;
}

function unwrap<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new Error(result.error);
  return result.data;
}

export function useReviewActions(projectId: number, options: { onUndone: (entry: UndoEntry) => void }) {
  const queryClient = useQueryClient();
  const [undoStack, setUndoStack] = useState<UndoEntry[]>([]);
  const [status, setStatus] = useState<Status | null>(null);

  const refresh = () => {
    for (const key of ["review-list", "review-count", "review-detail"]) {
      void queryClient.invalidateQueries({ queryKey: [key, projectId] });
    }
  };

  const change = useMutation({
    mutationFn: async ({ versionId, ...fields }: ReviewChange) =>
      unwrap(await reviewItemsAction({ projectId, versionIds: [versionId], ...fields })),
    onMutate: ({ versionId, decision }) => {
      // Show the decision in the list at once; the refetch below confirms it.
      if (decision === undefined) return;
      queryClient.setQueriesData<ReviewPage>({ queryKey: ["review-list", projectId] }, (page) =>
        page
          ? {
              ...page,
              rows: page.rows.map((row) =>
                row.id === versionId ? { ...row, reviewDecision: decision } : row,
              ),
            }
          : page,
      );
    },
    onSuccess: (_result, input) => {
      const entry: UndoEntry = { kind: "item", versionId: input.versionId };
      setUndoStack((stack) => [...stack.slice(-99), entry]);
      const what =
        input.decision !== undefined
          ? input.decision === null
            ? "Cleared the decision on"
            : `${input.decision === "accepted" ? "Accepted" : "Rejected"}`
          : input.note !== undefined && input.editedText === undefined && input.editedAnswer === undefined
            ? "Saved the note on"
            : "Saved the edit of";
      setStatus({ text: `${what} #${input.versionId}.`, tone: "info", undo: entry });
    },
    onError: (error) => setStatus({ text: error.message, tone: "error" }),
    onSettled: refresh,
  });

  const bulk = useMutation({
    mutationFn: async ({ filter, decision }: { filter: ReviewFilter; decision: "accepted" | "rejected" }) =>
      unwrap(await bulkReviewAction({ projectId, filter, decision })),
    onSuccess: (result, { decision }) => {
      const entry: UndoEntry = { kind: "batch", batchId: result.batchId, count: result.count };
      if (result.count > 0) setUndoStack((stack) => [...stack.slice(-99), entry]);
      const verb = decision === "accepted" ? "Accepted" : "Rejected";
      setStatus({
        text: `${verb} ${result.count.toLocaleString("en-US")} instruction${result.count === 1 ? "" : "s"} matching the filter.`,
        tone: "info",
        undo: result.count > 0 ? entry : undefined,
      });
    },
    onError: (error) => setStatus({ text: error.message, tone: "error" }),
    onSettled: refresh,
  });

  const undo = useMutation({
    mutationFn: async (entry: UndoEntry) =>
      unwrap(
        await undoReviewAction(
          entry.kind === "batch"
            ? { projectId, batchId: entry.batchId }
            : { projectId, versionId: entry.versionId },
        ),
      ),
    onSuccess: (result, entry) => {
      setUndoStack((stack) =>
        stack.at(-1) === entry ? stack.slice(0, -1) : stack.filter((item) => item !== entry),
      );
      setStatus({
        text:
          entry.kind === "batch"
            ? `Undid the bulk decision on ${result.count.toLocaleString("en-US")} instructions.`
            : `Undid the last review of #${entry.versionId}.`,
        tone: "info",
      });
      options.onUndone(entry);
    },
    onError: (error) => setStatus({ text: error.message, tone: "error" }),
    onSettled: refresh,
  });

  return {
    change,
    bulk,
    undo,
    undoStack,
    status,
    clearStatus: () => setStatus(null),
    pending: change.isPending || bulk.isPending || undo.isPending,
  };
}

"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { EvaluationDetail } from "@/lib/evaluation/progress";
import { formatCrr, type CrrSummary } from "@/lib/evaluation/summary";
import { cancelEvaluationAction, deleteEvaluationAction, resumeEvaluationAction } from "./evaluate-actions";
import { unwrapAction as unwrap } from "@/lib/errors";
import { countOf } from "@/components/count-of";
import { liveStates, number, stateStyle } from "./evaluate-client";

export function StateBadge({ state }: { state: string }) {
  return (
    <span
      data-testid="evaluation-state"
      className={`rounded px-1.5 py-0.5 text-xs font-medium ${stateStyle[state] ?? ""}`}
    >
      {state}
    </span>
  );
}

/** W/T/L, CRR and its interval: the paper's figures, large. */
export function CrrFigures({ summary }: { summary: CrrSummary }) {
  return (
    <div className="flex flex-wrap items-end gap-6">
      <div>
        <p className="text-xs text-zinc-500">CRR (wins + ties) / total</p>
        <p className="text-3xl font-semibold tabular-nums" data-testid="crr">
          {formatCrr(summary.crr)}
        </p>
        <p className="text-xs text-zinc-500" data-testid="crr-interval">
          {summary.interval
            ? `95% CI ${formatCrr(summary.interval.low)} – ${formatCrr(summary.interval.high)}`
            : "no judged instruction yet"}
        </p>
      </div>
      <dl className="flex gap-4 text-sm">
        {(
          [
            ["Wins", summary.wins, "text-emerald-700"],
            ["Ties", summary.ties, "text-sky-700"],
            ["Losses", summary.losses, "text-rose-700"],
          ] as const
        ).map(([label, value, color]) => (
          <div key={label}>
            <dt className="text-xs text-zinc-500">{label}</dt>
            <dd
              className={`text-xl font-semibold tabular-nums ${color}`}
              data-testid={`count-${label.toLowerCase()}`}
            >
              {number(value)}
            </dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

export function CategoryTable({ summary }: { summary: CrrSummary }) {
  if (summary.byCategory.length === 0) return null;
  return (
    <div className="max-h-72 overflow-auto rounded-md border border-zinc-200">
      <table className="w-full text-xs" aria-label="CRR per category">
        <thead className="sticky top-0 bg-zinc-50 text-left text-zinc-500">
          <tr>
            <th className="px-2 py-1 font-medium">Category</th>
            <th className="px-2 py-1 text-right font-medium">W/T/L</th>
            <th className="px-2 py-1 text-right font-medium">CRR</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          {summary.byCategory.map((row) => (
            <tr key={row.category}>
              <td className="px-2 py-1">{row.category}</td>
              <td className="px-2 py-1 text-right tabular-nums">
                {row.wins}/{row.ties}/{row.losses}
              </td>
              <td className="px-2 py-1 text-right tabular-nums">{formatCrr(row.crr)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EvaluationDetailView({
  projectId,
  evaluationId,
  onDeleted,
}: {
  projectId: number;
  evaluationId: number;
  onDeleted: () => void;
}) {
  const queryClient = useQueryClient();
  const [confirm, setConfirm] = useState<"cancel" | "delete" | null>(null);
  const detail = useQuery<EvaluationDetail>({
    queryKey: queryKeys.evaluation(projectId, evaluationId),
    queryFn: ({ signal }) => fetchJson(`/api/projects/${projectId}/evaluations/${evaluationId}`, { signal }),
    // Live while it runs; the evaluation itself lives in the workers, so closing the tab changes nothing.
    refetchInterval: (query) =>
      query.state.data && !liveStates.has(query.state.data.evaluation.state) ? false : 1000,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.evaluation(projectId, evaluationId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.evaluationList(projectId) });
    void queryClient.invalidateQueries({ queryKey: queryKeys.evaluations(projectId) });
  };
  const cancel = useMutation({
    mutationFn: () => unwrap(cancelEvaluationAction({ projectId, evaluationId })),
    onSettled: refresh,
    onSuccess: () => setConfirm(null),
  });
  const resume = useMutation({
    mutationFn: (retryFailed: boolean) =>
      unwrap(resumeEvaluationAction({ projectId, evaluationId, retryFailed })),
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: () => unwrap(deleteEvaluationAction({ projectId, evaluationId })),
    onSuccess: () => {
      setConfirm(null);
      void queryClient.invalidateQueries({ queryKey: queryKeys.evaluationList(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.evalSets(projectId) });
      onDeleted();
    },
  });

  if (detail.error)
    return (
      <p role="alert" className="text-sm text-red-600">
        {detail.error.message}
      </p>
    );
  if (!detail.data) return <p className="text-sm text-zinc-500">Loading evaluation {evaluationId}…</p>;
  const { evaluation, counts, summary, llm, failures } = detail.data;
  const live = liveStates.has(evaluation.state);
  const settled = counts.judged + counts.failed;
  const judge = evaluation.judge ?? evaluation.reference;

  return (
    <section
      aria-label={`Evaluation ${evaluation.id}`}
      data-testid="evaluation-detail"
      className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-semibold">{evaluation.name}</h2>
        <StateBadge state={evaluation.state} />
        <div className="ml-auto flex gap-2">
          {live ? (
            <Button size="sm" variant="danger" onClick={() => setConfirm("cancel")}>
              Cancel
            </Button>
          ) : null}
          {evaluation.state === "cancelled" || evaluation.state === "failed" ? (
            <Button
              size="sm"
              variant="primary"
              onClick={() => resume.mutate(false)}
              disabled={resume.isPending}
            >
              Resume
            </Button>
          ) : null}
          {!live && counts.failed > 0 ? (
            <Button size="sm" onClick={() => resume.mutate(true)} disabled={resume.isPending}>
              Retry {counts.failed} failed
            </Button>
          ) : null}
          <a
            className="inline-flex h-7 items-center rounded-md border border-zinc-300 px-2 text-xs hover:bg-zinc-50"
            href={`/api/projects/${projectId}/evaluations/${evaluationId}/report`}
          >
            Report (JSON)
          </a>
          {!live ? (
            <Button size="sm" variant="ghost" onClick={() => setConfirm("delete")}>
              Delete
            </Button>
          ) : null}
        </div>
      </div>
      <dl className="grid gap-1 text-xs text-zinc-600 sm:grid-cols-2">
        <div>
          <dt className="inline text-zinc-400">Set: </dt>
          <dd className="inline">{evaluation.setName}</dd>
        </div>
        <div>
          <dt className="inline text-zinc-400">Target: </dt>
          <dd className="inline break-all">
            {evaluation.target.model} @ {evaluation.target.baseUrl}
          </dd>
        </div>
        <div>
          <dt className="inline text-zinc-400">Reference: </dt>
          <dd className="inline break-all">
            {evaluation.reference.model} @ {evaluation.reference.baseUrl}
          </dd>
        </div>
        <div>
          <dt className="inline text-zinc-400">Judge: </dt>
          <dd className="inline break-all">
            {judge.model}
            {evaluation.judge ? "" : " (the reference)"} · both orders · temperature 0
          </dd>
        </div>
      </dl>
      {resume.error ? (
        <p role="alert" className="text-sm text-red-600">
          {resume.error.message}
        </p>
      ) : null}
      {evaluation.lastError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {evaluation.lastError}
        </p>
      ) : null}
      <div>
        <div className="flex justify-between text-xs text-zinc-500">
          <span data-testid="evaluation-progress">
            {number(settled)} of {number(counts.total)} instructions settled
            {counts.failed > 0 ? ` (${number(counts.failed)} failed, not counted)` : ""}
          </span>
          <span>
            {countOf(llm.calls, "call")} · {number(llm.cacheHits)} cached · ${llm.costUsd.toFixed(4)}
          </span>
        </div>
        <div className="mt-1 h-2 overflow-hidden rounded bg-zinc-100">
          <div
            className="h-full bg-indigo-500 transition-all"
            style={{ width: `${counts.total ? Math.round((settled / counts.total) * 100) : 0}%` }}
          />
        </div>
      </div>
      <CrrFigures summary={summary} />
      {live && summary.total > 0 ? (
        <p className="text-xs text-zinc-500">Figures so far; final when every instruction is judged.</p>
      ) : null}
      <CategoryTable summary={summary} />
      {failures.length > 0 ? (
        <div>
          <h3 className="text-sm font-medium">Failed instructions</h3>
          <ul className="mt-1 max-h-48 divide-y divide-zinc-100 overflow-auto rounded-md border border-zinc-200 text-xs">
            {failures.map((failure) => (
              <li key={failure.instructionId} className="px-2 py-1.5">
                <span className="text-zinc-500">#{failure.position} </span>
                {failure.instruction}
                <p className="text-red-700">{failure.error}</p>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "delete" ? `Delete ${evaluation.name}?` : `Cancel ${evaluation.name}?`}
        confirmLabel={confirm === "delete" ? "Delete evaluation" : "Cancel evaluation"}
        pending={cancel.isPending || remove.isPending}
        onCancel={() => setConfirm(null)}
        onConfirm={() => (confirm === "delete" ? remove.mutate() : cancel.mutate())}
      >
        {confirm === "delete"
          ? "Its results are deleted; what its LLM calls cost stays in the project's accounting."
          : "No new LLM call starts; the results so far are kept and you can resume later (answered calls come from the cache)."}
        {cancel.error || remove.error ? (
          <p className="mt-2 text-red-600">{(cancel.error ?? remove.error)?.message}</p>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}

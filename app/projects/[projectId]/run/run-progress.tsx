"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import Link from "next/link";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { unwrapAction as unwrap } from "@/lib/errors";
import type { RunProgress, StageProgress } from "@/lib/pipeline/progress";
import { cancelRunAction, resumeRunAction } from "./run-actions";

type Progress = Omit<RunProgress, "run"> & {
  run: Omit<RunProgress["run"], "createdAt" | "startedAt" | "finishedAt"> & { createdAt: string };
};

export const activeStates = new Set(["queued", "running", "cancelling", "stopping"]);
export const number = (value: number) => value.toLocaleString("en-US");

function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
}

const stateStyle: Record<string, string> = {
  queued: "bg-zinc-100 text-zinc-700",
  running: "bg-indigo-100 text-indigo-800",
  cancelling: "bg-amber-100 text-amber-800",
  cancelled: "bg-zinc-200 text-zinc-700",
  stopping: "bg-emerald-50 text-emerald-800",
  interrupted: "bg-zinc-200 text-zinc-700",
  completed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
};

function StateBadge({ state }: { state: string }) {
  return (
    <span
      data-testid="run-state"
      className={`rounded px-1.5 py-0.5 text-xs font-medium ${stateStyle[state] ?? ""}`}
    >
      {state}
    </span>
  );
}

function StageRow({ name, stage, note }: { name: string; stage: StageProgress; note?: string }) {
  const share = stage.total === 0 ? 0 : (stage.done + stage.failed) / stage.total;
  return (
    <tr data-testid={`stage-${name}`}>
      <td className="px-3 py-1.5 font-medium capitalize">{name}</td>
      <td className="px-3 py-1.5">
        <div className="h-1.5 w-40 overflow-hidden rounded bg-zinc-100">
          <div className="h-full bg-indigo-500" style={{ width: `${Math.round(share * 100)}%` }} />
        </div>
      </td>
      <td className="px-3 py-1.5 text-right tabular-nums">{number(stage.done)}</td>
      <td className="px-3 py-1.5 text-right tabular-nums">{number(stage.pending)}</td>
      <td className={`px-3 py-1.5 text-right tabular-nums ${stage.failed > 0 ? "text-red-600" : ""}`}>
        {number(stage.failed)}
      </td>
      <td className="px-3 py-1.5 text-right tabular-nums">{number(stage.total)}</td>
      <td className="px-3 py-1.5 text-xs text-zinc-500">{note}</td>
    </tr>
  );
}

export function RunProgressView({ projectId, runId }: { projectId: number; runId: number }) {
  const queryClient = useQueryClient();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const progress = useQuery<Progress>({
    queryKey: queryKeys.runProgress(projectId, runId),
    queryFn: ({ signal }) => fetchJson<Progress>(`/api/projects/${projectId}/runs/${runId}`, { signal }),
    // Live while the run is active; the run itself lives in the workers, so closing the tab changes nothing.
    refetchInterval: (query) =>
      query.state.data && !activeStates.has(query.state.data.run.state) ? false : 1000,
  });
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.runs(projectId) });
  };
  const cancel = useMutation({
    mutationFn: () => unwrap(cancelRunAction({ projectId, runId })),
    onSettled: refresh,
    onSuccess: () => setConfirmCancel(false),
  });
  const resume = useMutation({
    mutationFn: (retryFailed: boolean) => unwrap(resumeRunAction({ projectId, runId, retryFailed })),
    onSettled: refresh,
  });

  // The list of runs (and the Start button) follow the run's state as soon as the progress shows a change.
  const liveState = progress.data?.run.state;
  useEffect(() => {
    if (liveState) void queryClient.invalidateQueries({ queryKey: queryKeys.runs(projectId) });
  }, [liveState, projectId, queryClient]);

  if (progress.error)
    return (
      <p role="alert" className="text-sm text-red-600">
        {progress.error.message}
      </p>
    );
  if (!progress.data) return <p className="text-sm text-zinc-500">Loading run {runId}…</p>;
  const { run, stages, llm, kept, targetSize, recent, etaSeconds, errors } = progress.data;
  const active = activeStates.has(run.state);
  const rate = recent.windowSeconds > 0 ? recent.versionsSettled / recent.windowSeconds : 0;
  const keptShare = targetSize > 0 ? Math.min(1, kept / targetSize) : 0;

  return (
    <section
      aria-label={`Run ${run.id}`}
      className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4"
    >
      <div className="flex flex-wrap items-center gap-3">
        <h2 className="font-semibold">Run {run.id}</h2>
        <StateBadge state={run.state} />
        {run.stopReason ? (
          <span className="text-xs text-zinc-500">stopped: {run.stopReason.replaceAll("_", " ")}</span>
        ) : null}
        <span className="text-xs text-zinc-500">
          seed {run.randomSeed} · {formatDuration(run.elapsedSeconds)} elapsed
        </span>
        <Link className="text-xs underline" href={`/projects/${projectId}/run/${run.id}/quality`}>
          Data quality
        </Link>
        <div className="ml-auto flex gap-2">
          {active ? (
            <Button
              variant="danger"
              size="sm"
              onClick={() => setConfirmCancel(true)}
              disabled={run.state === "cancelling"}
            >
              Cancel run
            </Button>
          ) : run.state === "cancelled" || run.state === "failed" || run.state === "interrupted" ? (
            <>
              <Button
                size="sm"
                variant="primary"
                onClick={() => resume.mutate(false)}
                disabled={resume.isPending}
              >
                Resume
              </Button>
              <Button size="sm" onClick={() => resume.mutate(true)} disabled={resume.isPending}>
                Resume and retry failed items
              </Button>
            </>
          ) : null}
        </div>
      </div>
      {resume.error ? (
        <p role="alert" className="text-sm text-red-600">
          {resume.error.message}
        </p>
      ) : null}
      {run.lastError && run.state === "failed" ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-sm text-red-800">
          {run.lastError}
        </p>
      ) : null}

      <div>
        <div className="flex items-baseline justify-between text-sm">
          <span>
            Kept <strong data-testid="kept-count">{number(kept)}</strong> of {number(targetSize)} wanted
          </span>
          <span className="text-xs text-zinc-500">
            {rate > 0 ? `${rate.toFixed(1)} instructions/s` : "—"} · ETA{" "}
            {active ? formatDuration(etaSeconds) : "—"}
          </span>
        </div>
        <div className="mt-1 h-2 overflow-hidden rounded bg-zinc-100">
          <div
            className="h-full bg-emerald-500 transition-all"
            style={{ width: `${Math.round(keptShare * 100)}%` }}
          />
        </div>
      </div>

      <table className="w-full text-sm">
        <thead className="text-left text-xs text-zinc-500">
          <tr>
            <th className="px-3 py-1 font-medium">Stage</th>
            <th className="px-3 py-1 font-medium">Progress</th>
            <th className="px-3 py-1 text-right font-medium">Done</th>
            <th className="px-3 py-1 text-right font-medium">Pending</th>
            <th className="px-3 py-1 text-right font-medium">Failed</th>
            <th className="px-3 py-1 text-right font-medium">Total</th>
            <th className="px-3 py-1" />
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100">
          <StageRow
            name="encode"
            stage={stages.encode}
            note={
              run.poolMode === "existing"
                ? "skipped: the project's metadata is used"
                : "seed → use case + skills"
            }
          />
          <StageRow name="pool" stage={stages.pool} note="mix-and-match + plausibility check" />
          <StageRow name="rubrics" stage={stages.rubrics} note="rubrics and actions per metadata entry" />
          <StageRow
            name="decode"
            stage={stages.decode}
            note={`basic instructions · round ${stages.decode.rounds}`}
          />
          <StageRow
            name="iterate"
            stage={{
              total: stages.iterate.total,
              pending: stages.iterate.pending,
              done: stages.iterate.kept + stages.iterate.improved + stages.iterate.dropped,
              failed: stages.iterate.failed,
            }}
            note={`answer, judge both orders, keep ${number(stages.iterate.kept)} · improve ${number(stages.iterate.improved)} · drop ${number(stages.iterate.dropped)}`}
          />
        </tbody>
      </table>

      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4 lg:grid-cols-6">
        {[
          ["LLM calls", number(llm.calls)],
          ["Cache hits", number(llm.cacheHits)],
          ["Call errors", number(llm.errors)],
          ["Tokens in / out", `${number(llm.promptTokens)} / ${number(llm.completionTokens)}`],
          ["Cost so far", `$${llm.costUsd.toFixed(4)}`],
          ["Avg time per call (with queue wait and retries)", `${Math.round(llm.avgLatencyMs)} ms`],
        ].map(([label, value]) => (
          <div key={label} className="rounded-md bg-zinc-50 p-2">
            <dt className="text-xs text-zinc-500">{label}</dt>
            <dd className="font-medium tabular-nums" data-testid={`metric-${label}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>

      <div>
        <h3 className="text-sm font-medium">
          Latest errors <span className="font-normal text-zinc-500">({number(run.errorCount)} in all)</span>
        </h3>
        {errors.length === 0 ? (
          <p className="text-xs text-zinc-500">None.</p>
        ) : (
          <ul className="mt-1 max-h-60 divide-y divide-zinc-100 overflow-auto rounded-md border border-zinc-200 text-xs">
            {errors.map((error) => (
              <li key={error.id} className="px-2 py-1.5">
                <span className="font-medium">{error.stage}</span>
                {error.itemKind ? (
                  <span className="text-zinc-500">
                    {" "}
                    · {error.itemKind} {error.itemId}
                  </span>
                ) : null}
                <span className="text-zinc-400"> · {new Date(error.createdAt).toLocaleTimeString()}</span>
                <p className="text-red-700">{error.message}</p>
              </li>
            ))}
          </ul>
        )}
      </div>
      {kept > 0 ? (
        <p className="text-sm">
          <Link href={`/projects/${projectId}/review`} className="text-indigo-700 hover:underline">
            Review the kept instructions →
          </Link>
        </p>
      ) : null}
      <ConfirmDialog
        open={confirmCancel}
        title={`Cancel run ${run.id}?`}
        confirmLabel="Cancel run"
        pending={cancel.isPending}
        onCancel={() => setConfirmCancel(false)}
        onConfirm={() => cancel.mutate()}
      >
        No new LLM call starts; calls in flight finish. Everything made so far is kept, and you can resume the
        run later.
        {cancel.error ? <p className="mt-2 text-red-600">{cancel.error.message}</p> : null}
      </ConfirmDialog>
    </section>
  );
}

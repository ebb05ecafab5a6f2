"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { unwrapAction as unwrap } from "@/lib/errors";
import { startRunAction } from "./run-actions";
import { countOf } from "@/components/count-of";
import { activeStates, number, RunProgressView } from "./run-progress";

interface RunSummary {
  id: number;
  state: string;
  randomSeed: number;
  errorCount: number;
  lastError: string | null;
  stopReason: string | null;
  createdAt: string;
  finishedAt: string | null;
}

interface Readiness {
  seeds: number;
  metadata: number;
  strong: string | null;
  target: string | null;
  judge: string | null;
  settings: {
    poolSize: number;
    targetDatasetSize: number;
    maxIterations: number;
    gapThreshold: number;
    randomSeed: number;
  };
}

export function RunPanel({
  projectId,
  initialRuns,
  readiness,
}: {
  projectId: number;
  initialRuns: RunSummary[];
  readiness: Readiness;
}) {
  const queryClient = useQueryClient();
  const runs = useQuery<RunSummary[]>({
    queryKey: queryKeys.runList(projectId),
    queryFn: ({ signal }) => fetchJson<RunSummary[]>(`/api/projects/${projectId}/runs`, { signal }),
    initialData: initialRuns,
    refetchInterval: 3000,
  });
  const [selectedRun, setSelectedRun] = useState<number | null>(initialRuns[0]?.id ?? null);
  const start = useMutation({
    mutationKey: queryKeys.runStart(projectId),
    mutationFn: () => unwrap(startRunAction({ projectId })),
    onSuccess: ({ runId }) => {
      setSelectedRun(runId);
      void queryClient.invalidateQueries({ queryKey: queryKeys.runs(projectId) });
    },
  });
  const hasActive = runs.data.some((run) => activeStates.has(run.state));
  const missing = [
    !readiness.strong && "a strong model",
    !readiness.target && "a target model",
    readiness.seeds === 0 && readiness.metadata === 0 && "seeds or hand-written metadata",
  ].filter(Boolean) as string[];

  return (
    <div className="grid gap-6 lg:grid-cols-[18rem_1fr]">
      <aside className="space-y-4">
        <section className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4 text-sm">
          <h2 className="font-semibold">New run</h2>
          <dl className="space-y-1 text-xs">
            <div>
              <dt className="inline text-zinc-500">Strong: </dt>
              <dd className="inline break-all">
                {readiness.strong ?? <span className="text-red-600">not set</span>}
              </dd>
            </div>
            <div>
              <dt className="inline text-zinc-500">Target: </dt>
              <dd className="inline break-all">
                {readiness.target ?? <span className="text-red-600">not set</span>}
              </dd>
            </div>
            <div>
              <dt className="inline text-zinc-500">Judge: </dt>
              <dd className="inline break-all">{readiness.judge ?? "the strong model"}</dd>
            </div>
            <div>
              <dt className="inline text-zinc-500">Input: </dt>
              <dd className="inline">
                {readiness.metadata > 0
                  ? `${number(readiness.metadata)} metadata entries (used as they are)`
                  : `${countOf(readiness.seeds, "seed")} → pool of ${readiness.settings.poolSize}`}
              </dd>
            </div>
            <div>
              <dt className="inline text-zinc-500">Target size: </dt>
              <dd className="inline">
                {number(readiness.settings.targetDatasetSize)} · ≤ {readiness.settings.maxIterations}{" "}
                iterations · θ = {readiness.settings.gapThreshold} · seed {readiness.settings.randomSeed}
              </dd>
            </div>
          </dl>
          {missing.length > 0 ? (
            <p className="text-xs text-amber-700">
              Set {missing.join(", ")} first (
              <Link className="underline" href={`/projects/${projectId}/models`}>
                Models
              </Link>
              ).
            </p>
          ) : null}
          <Button
            variant="primary"
            onClick={() => start.mutate()}
            disabled={start.isPending || hasActive || missing.length > 0}
          >
            {start.isPending ? "Starting…" : "Start run"}
          </Button>
          {hasActive ? (
            <p className="text-xs text-zinc-500">A run is in progress; one run at a time per project.</p>
          ) : null}
          {start.error ? (
            <p role="alert" className="text-xs text-red-600">
              {start.error.message}
            </p>
          ) : null}
        </section>
        <section className="rounded-lg border border-zinc-200 bg-white p-2">
          <h2 className="px-2 py-1 text-sm font-semibold">Runs</h2>
          {runs.data.length === 0 && !start.isPending ? (
            <p className="px-2 py-1 text-xs text-zinc-500">No runs yet.</p>
          ) : null}
          <ul className="text-sm">
            {start.isPending ? (
              <li
                className="flex items-center justify-between px-2 py-1 text-zinc-600"
                data-testid="run-starting"
              >
                <span>New run</span>
                <span className="text-xs text-zinc-500">starting…</span>
              </li>
            ) : null}
            {runs.data.map((run) => (
              <li key={run.id}>
                <button
                  className={`flex w-full items-center justify-between rounded px-2 py-1 text-left hover:bg-zinc-50 ${selectedRun === run.id ? "bg-indigo-50" : ""}`}
                  onClick={() => setSelectedRun(run.id)}
                  aria-current={selectedRun === run.id ? "true" : undefined}
                >
                  <span>Run {run.id}</span>
                  <span className="text-xs text-zinc-500">{run.state}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      </aside>
      <div>
        {selectedRun !== null ? (
          <RunProgressView key={selectedRun} projectId={projectId} runId={selectedRun} />
        ) : (
          <p className="text-sm text-zinc-500">Start a run to see its progress here.</p>
        )}
      </div>
    </div>
  );
}

"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { BarList } from "@/components/ui/bar-list";
import { Select } from "@/components/ui/field";
import type { Dashboard, RunSummary } from "@/lib/db/dashboard";
import { CostTable, formatUsd } from "./cost-table";
import { CoverageCards } from "./coverage-cards";
import { countOf } from "@/components/count-of";
import { GapHistogram } from "./gap-histogram";

/** The dashboard as it arrives over JSON (dates as strings). */
export type DashboardData = Omit<Dashboard, "runs"> & {
  runs: (Omit<RunSummary, "createdAt" | "finishedAt"> & { createdAt: string; finishedAt: string | null })[];
};

const activeStates = new Set(["queued", "running", "cancelling", "stopping"]);
const int = (value: number) => value.toLocaleString("en-US");
const pct = (value: number) => `${Math.round(value * 100)}%`;

function Stat({ label, value, children }: { label: string; value: ReactNode; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-zinc-200 bg-white p-3">
      <p className="text-xs text-zinc-500">{label}</p>
      <p className="text-xl font-semibold tabular-nums">{value}</p>
      {children ? <div className="mt-1 space-y-0.5 text-xs text-zinc-600">{children}</div> : null}
    </div>
  );
}

function Card({
  id,
  title,
  note,
  children,
}: {
  id: string;
  title: string;
  note?: ReactNode;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
      <div>
        <h2 id={id} className="font-semibold">
          {title}
        </h2>
        {note ? <p className="text-xs text-zinc-500">{note}</p> : null}
      </div>
      {children}
    </section>
  );
}

export function DashboardView({ projectId, initial }: { projectId: number; initial: DashboardData }) {
  const [runId, setRunId] = useState<number | null>(null);
  const dashboard = useQuery<DashboardData>({
    queryKey: queryKeys.dashboard(projectId, runId),
    queryFn: ({ signal }) =>
      fetchJson<DashboardData>(`/api/projects/${projectId}/dashboard`, { params: { runId }, signal }),
    initialData: runId === null ? initial : undefined,
    placeholderData: keepPreviousData,
    // While a run works, the numbers move: refresh them every 15 s (each refresh aggregates the whole project).
    refetchInterval: (query) =>
      query.state.data?.runs.some((run) => activeStates.has(run.state)) ? 15_000 : false,
  });
  const data = dashboard.data ?? initial;
  const { inputs, versions, cost, runs } = data;
  const judged = versions.byState.kept + versions.byState.improved + versions.byState.dropped;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        {runs.length > 1 ? (
          <Select
            aria-label="Run"
            className="max-w-72"
            value={runId ?? ""}
            onChange={(event) => setRunId(event.target.value ? Number(event.target.value) : null)}
          >
            <option value="">All {runs.length} runs</option>
            {runs.map((run) => (
              <option key={run.id} value={run.id}>
                Run #{run.id} · {run.state} · {run.createdAt.slice(0, 10)}
              </option>
            ))}
          </Select>
        ) : null}
        {dashboard.isFetching ? <span className="text-xs text-zinc-500">Updating…</span> : null}
        {dashboard.error ? (
          <p role="alert" className="text-sm text-red-600">
            {dashboard.error.message}
          </p>
        ) : null}
      </div>

      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3 xl:grid-cols-6" data-testid="dashboard-totals">
        <Stat label="Seeds" value={int(inputs.seeds)} />
        <Stat label="Metadata entries" value={int(inputs.metadata.total)}>
          <p>
            {int(inputs.metadata.seed)} from seeds · {int(inputs.metadata.mixed)} mixed ·{" "}
            {int(inputs.metadata.handwritten)} by hand
          </p>
        </Stat>
        <Stat label="Instruction versions" value={int(versions.total)}>
          <p>
            {int(versions.byState.pending)} pending · {int(versions.byState.improved)} rewritten ·{" "}
            {int(versions.byState.dropped)} dropped
            {versions.byState.failed > 0 ? ` · ${int(versions.byState.failed)} failed` : ""}
            {versions.byState.surplus > 0
              ? ` · ${int(versions.byState.surplus)} surplus (judged after the target was kept)`
              : ""}
          </p>
        </Stat>
        <Stat label="Kept" value={int(versions.byState.kept)}>
          <p>
            {int(versions.keptByAnswer.strong)} strong answers · {int(versions.keptByAnswer.target)} target
            answers
          </p>
          {judged > 0 ? <p>{pct(versions.byState.kept / judged)} of judged versions</p> : null}
        </Stat>
        <Stat
          label="Human review"
          value={`${int(versions.review.accepted)} ✓ · ${int(versions.review.rejected)} ✗`}
        >
          <p>{int(versions.review.undecided)} kept not reviewed yet</p>
        </Stat>
        <Stat label="LLM cost" value={formatUsd(cost.costUsd)}>
          <p>
            {countOf(cost.promptTokens + cost.completionTokens, "token")} · {countOf(cost.calls, "call")}
          </p>
          <p>
            {int(cost.cacheHits)} cache hits{cost.errors > 0 ? ` · ${countOf(cost.errors, "error")}` : ""}
          </p>
        </Stat>
      </div>

      {runs.length === 0 ? (
        <div className="rounded-lg border border-dashed border-zinc-300 bg-white p-5 text-sm text-zinc-600">
          <p className="font-medium text-zinc-800">No run yet.</p>
          <p className="mt-1">
            Set the{" "}
            <Link href={`/projects/${projectId}/models`} className="text-indigo-700 hover:underline">
              models
            </Link>
            , then start a run on the{" "}
            <Link href={`/projects/${projectId}/run`} className="text-indigo-700 hover:underline">
              Run
            </Link>{" "}
            tab. This page then shows the quality-gap histogram, which iterations the kept data comes from,
            how well it covers the seeds&apos; use cases and skills, and what it cost.
          </p>
        </div>
      ) : (
        <>
          <div className="grid gap-4 xl:grid-cols-[3fr_2fr]">
            <Card
              id="gap-histogram"
              title="Quality gap"
              note={`Judged versions by G, the strong answer's score minus the target's (1–10, both orders averaged). Kept when |G| > θ = ${data.gapThreshold}; otherwise rewritten, or dropped after the last iteration.`}
            >
              {data.gapHistogram.length === 0 ? (
                <p className="text-sm text-zinc-500">Nothing judged yet.</p>
              ) : (
                <GapHistogram buckets={data.gapHistogram} threshold={data.gapThreshold} />
              )}
            </Card>
            <Card
              id="iterations"
              title="Kept data by iteration"
              note="Iteration 1 is the basic instruction; later ones are Self-Rubrics rewrites. The paper reports most kept data comes from iteration 1."
            >
              {versions.iterations.length === 0 ? (
                <p className="text-sm text-zinc-500">No versions yet.</p>
              ) : (
                <BarList
                  label="Share of kept data per iteration"
                  barClassName="bg-emerald-200"
                  items={versions.iterations.map((row) => ({
                    key: String(row.iteration),
                    label: `Iteration ${row.iteration}: ${int(row.byState.kept)} kept of ${int(row.total)}`,
                    value: row.keptShare,
                  }))}
                  format={(value) => `${pct(value)} of kept`}
                />
              )}
              {versions.iterations.length > 0 ? (
                <p className="text-xs text-zinc-500">
                  Keep rate per iteration:{" "}
                  {versions.iterations.map((row) => `${row.iteration}: ${pct(row.keepRate)}`).join(" · ")}
                </p>
              ) : null}
            </Card>
          </div>
          <Card
            id="coverage"
            title="Coverage of the seeds"
            note="Use cases and skills of the seed metadata against those of the kept instructions: the closer the two, the better the data matches your task."
          >
            <CoverageCards coverage={data.coverage} />
          </Card>
          <Card
            id="cost"
            title="Tokens and cost"
            note="LLM calls of the runs, by prompt and model role. Cache hits cost nothing."
          >
            <CostTable cost={cost} />
          </Card>
        </>
      )}
    </div>
  );
}

"use client";

import { useMutationState, useQuery } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { useState } from "react";
import { formatCrr } from "@/lib/evaluation/summary";
import { EvalSetPanel } from "./eval-set-panel";
import { EvaluationCompare } from "./evaluation-compare";
import { EvaluationDetailView, StateBadge } from "./evaluation-detail";
import { EvaluationForm } from "./evaluation-form";
import {
  liveStates,
  number,
  type EndpointOption,
  type EvalSetView,
  type EvaluationListItem,
  type PublicSetView,
} from "./evaluate-client";

export function EvaluatePanel({
  projectId,
  initialSets,
  initialEvaluations,
  endpoints,
  publicSets,
  seedsInSets,
}: {
  projectId: number;
  initialSets: EvalSetView[];
  initialEvaluations: EvaluationListItem[];
  endpoints: EndpointOption[];
  publicSets: PublicSetView[];
  /** Seeds of the project found in one of its evaluation sets. */
  seedsInSets: number;
}) {
  const evaluations = useQuery<EvaluationListItem[]>({
    queryKey: queryKeys.evaluationList(projectId),
    queryFn: ({ signal }) => fetchJson(`/api/projects/${projectId}/evaluations`, { signal }),
    initialData: initialEvaluations,
    refetchInterval: (query) => (query.state.data?.some((item) => liveStates.has(item.state)) ? 2000 : false),
  });
  // The sets list is shared with the form through the query cache (the panel above owns its fetching).
  const sets = useQuery<EvalSetView[]>({
    queryKey: queryKeys.evalSets(projectId),
    queryFn: ({ signal }) => fetchJson(`/api/projects/${projectId}/eval-sets`, { signal }),
    initialData: initialSets,
  });
  // An evaluation being started shows at once, queued, until the list has it.
  const starting = useMutationState({
    filters: { mutationKey: queryKeys.evaluationStart(projectId), status: "pending" },
    select: (mutation) => mutation.state.submittedAt,
  });
  const [focused, setFocused] = useState<number | null>(initialEvaluations[0]?.id ?? null);
  const [compared, setCompared] = useState<number[]>([]);
  const toggleCompared = (id: number) =>
    setCompared((ids) => (ids.includes(id) ? ids.filter((other) => other !== id) : [...ids, id].slice(-6)));
  const comparing = compared.length >= 2;

  return (
    <div className="grid gap-6 lg:grid-cols-[22rem_1fr]">
      <aside className="space-y-4">
        {seedsInSets > 0 ? (
          <p
            role="alert"
            className="rounded-md border border-amber-200 bg-amber-50 p-2 text-xs text-amber-900"
          >
            {number(seedsInSets)} seed{seedsInSets === 1 ? " of this project is" : "s of this project are"} in
            an evaluation set below: data made from them is not a fair test on that set.
          </p>
        ) : null}
        <EvalSetPanel projectId={projectId} initialSets={initialSets} publicSets={publicSets} />
        <EvaluationForm
          projectId={projectId}
          sets={sets.data}
          endpoints={endpoints}
          onStarted={(id) => {
            setFocused(id);
            setCompared([]);
          }}
        />
      </aside>
      <div className="min-w-0 space-y-4">
        <section aria-label="Evaluations" className="rounded-lg border border-zinc-200 bg-white p-2">
          <div className="flex items-baseline justify-between px-2 py-1">
            <h2 className="text-sm font-semibold">Evaluations</h2>
            <span className="text-xs text-zinc-500">
              Tick two or more to compare them side by side (the first ticked is the baseline).
            </span>
          </div>
          {evaluations.data.length === 0 && starting.length === 0 ? (
            <p className="px-2 py-1 text-xs text-zinc-500">No evaluation yet.</p>
          ) : null}
          <table className="w-full text-sm">
            <tbody className="divide-y divide-zinc-100">
              {starting.map((submittedAt) => (
                <tr key={`starting-${submittedAt}`} data-testid="evaluation-row-starting">
                  <td className="w-8 px-2" />
                  <td className="py-1 text-zinc-600">Starting a new evaluation…</td>
                  <td className="px-2">
                    <StateBadge state="queued" />
                  </td>
                  <td colSpan={2} />
                </tr>
              ))}
              {evaluations.data.map((item) => (
                <tr
                  key={item.id}
                  className={focused === item.id && !comparing ? "bg-indigo-50" : ""}
                  data-testid={`evaluation-row-${item.id}`}
                >
                  <td className="w-8 px-2">
                    <input
                      type="checkbox"
                      aria-label={`Compare ${item.name}`}
                      checked={compared.includes(item.id)}
                      onChange={() => toggleCompared(item.id)}
                    />
                  </td>
                  <td className="py-1">
                    <button
                      className="text-left hover:underline"
                      onClick={() => {
                        setFocused(item.id);
                        setCompared([]);
                      }}
                    >
                      {item.name}
                    </button>
                    <span className="ml-2 text-xs text-zinc-400">{item.setName}</span>
                  </td>
                  <td className="px-2">
                    <StateBadge state={item.state} />
                  </td>
                  <td className="px-2 text-right text-xs tabular-nums text-zinc-500">
                    {item.state === "completed" ? `${item.wins}/${item.ties}/${item.losses}` : ""}
                  </td>
                  <td className="px-2 text-right tabular-nums">
                    {item.state === "completed" ? formatCrr(item.crr) : ""}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {comparing ? (
          <EvaluationCompare key={compared.join(",")} projectId={projectId} ids={compared} />
        ) : focused !== null && evaluations.data.some((item) => item.id === focused) ? (
          <>
            <EvaluationDetailView
              key={focused}
              projectId={projectId}
              evaluationId={focused}
              onDeleted={() => setFocused(null)}
            />
            <EvaluationCompare key={`instructions-${focused}`} projectId={projectId} ids={[focused]} />
          </>
        ) : (
          <p className="text-sm text-zinc-500">
            Add an evaluation set, then start an evaluation to see its W/T/L and CRR here.
          </p>
        )}
      </div>
    </div>
  );
}

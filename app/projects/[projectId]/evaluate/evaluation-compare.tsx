"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { useState } from "react";
import type { EvaluationComparison, InstructionDrillDown } from "@/lib/evaluation/compare";
import { formatCrr, formatCrrPoints } from "@/lib/evaluation/summary";
import { StateBadge } from "./evaluation-detail";
import { liveStates, outcomeStyle } from "./evaluate-client";

function OutcomeBadge({ outcome }: { outcome: string | null }) {
  const key = outcome ?? "pending";
  return (
    <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium ${outcomeStyle[key] ?? ""}`}>{key}</span>
  );
}

function Answer({ title, text }: { title: string; text: string | null }) {
  return (
    <div className="min-w-0 flex-1">
      <p className="text-xs font-medium text-zinc-500">{title}</p>
      <div className="mt-1 max-h-72 overflow-auto whitespace-pre-wrap rounded-md bg-zinc-50 p-2 text-xs">
        {text ?? "—"}
      </div>
    </div>
  );
}

function DrillDown({
  projectId,
  ids,
  instructionId,
  names,
}: {
  projectId: number;
  ids: number[];
  instructionId: number;
  names: Map<number, string>;
}) {
  const detail = useQuery<InstructionDrillDown>({
    queryKey: queryKeys.evaluationDrillDown(projectId, ids, instructionId),
    queryFn: ({ signal }) =>
      fetchJson(`/api/projects/${projectId}/evaluations/drill-down`, {
        params: { ids: ids.join(","), instructionId },
        signal,
      }),
  });
  if (detail.error)
    return (
      <p role="alert" className="text-xs text-red-600">
        {detail.error.message}
      </p>
    );
  if (!detail.data) return <p className="text-xs text-zinc-500">Loading…</p>;
  const { instruction, results } = detail.data;
  return (
    <div className="space-y-3" data-testid="drill-down">
      <div className="whitespace-pre-wrap rounded-md border border-zinc-200 p-2 text-sm">
        {instruction.instruction}
        {instruction.input ? (
          <p className="mt-2 border-t border-zinc-100 pt-2 text-xs text-zinc-600">{instruction.input}</p>
        ) : null}
      </div>
      {results.map(({ evaluationId, result }) => (
        <div key={evaluationId} className="space-y-2 rounded-md border border-zinc-100 p-2">
          <div className="flex items-center gap-2 text-xs">
            <span className="font-medium">{names.get(evaluationId)}</span>
            <OutcomeBadge outcome={result ? (result.outcome ?? "failed") : null} />
            {result?.outcome ? (
              <span className="text-zinc-500" data-testid="order-scores">
                target first: target {result.targetScoreOrderA} vs reference {result.referenceScoreOrderA} ·
                reference first: reference {result.referenceScoreOrderB} vs target {result.targetScoreOrderB}
              </span>
            ) : null}
          </div>
          {result?.error ? <p className="text-xs text-red-700">{result.error}</p> : null}
          {result ? (
            <div className="flex flex-col gap-2 md:flex-row">
              <Answer title="Target answer" text={result.targetAnswer} />
              <Answer title="Reference answer" text={result.referenceAnswer} />
            </div>
          ) : null}
          {result?.explanationOrderA ? (
            <details className="text-xs text-zinc-600">
              <summary className="cursor-pointer">The judge&apos;s explanations</summary>
              <p className="mt-1 whitespace-pre-wrap">
                <strong>Target first:</strong> {result.explanationOrderA}
              </p>
              <p className="mt-1 whitespace-pre-wrap">
                <strong>Reference first:</strong> {result.explanationOrderB}
              </p>
            </details>
          ) : null}
        </div>
      ))}
    </div>
  );
}

/** One evaluation's instructions, or several evaluations side by side with the CRR difference from the first. */
export function EvaluationCompare({ projectId, ids }: { projectId: number; ids: number[] }) {
  const [onlyDifferent, setOnlyDifferent] = useState(false);
  const [open, setOpen] = useState<number | null>(null);
  const comparison = useQuery<EvaluationComparison>({
    queryKey: queryKeys.evaluationCompare(projectId, ids),
    queryFn: ({ signal }) =>
      fetchJson(`/api/projects/${projectId}/evaluations/compare`, { params: { ids: ids.join(",") }, signal }),
    refetchInterval: (query) =>
      query.state.data?.evaluations.some((item) => liveStates.has(item.evaluation.state)) ? 2000 : false,
  });
  if (comparison.error)
    return (
      <p role="alert" className="text-sm text-red-600">
        {comparison.error.message}
      </p>
    );
  if (!comparison.data) return <p className="text-sm text-zinc-500">Loading…</p>;
  const { evaluations, sameSet, instructions } = comparison.data;
  const names = new Map(evaluations.map((item) => [item.evaluation.id, item.evaluation.name]));
  const categories = [
    ...new Set(evaluations.flatMap((item) => item.summary.byCategory.map((row) => row.category))),
  ].sort();
  const shown = onlyDifferent
    ? instructions.filter((row) => new Set(Object.values(row.outcomes)).size > 1)
    : instructions;
  const several = evaluations.length > 1;

  return (
    <section
      aria-label={several ? "Comparison" : "Instructions"}
      className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4"
    >
      {several ? (
        <>
          <h2 className="font-semibold">Side by side</h2>
          <table className="w-full text-sm" aria-label="Evaluations compared">
            <thead className="text-left text-xs text-zinc-500">
              <tr>
                <th className="px-3 py-1 font-medium">Evaluation</th>
                <th className="px-3 py-1 font-medium">Target</th>
                <th className="px-3 py-1 text-right font-medium">W/T/L</th>
                <th className="px-3 py-1 text-right font-medium">CRR (95% CI)</th>
                <th className="px-3 py-1 text-right font-medium">Δ CRR vs first (95% CI)</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {evaluations.map(({ evaluation, summary, difference }, index) => (
                <tr key={evaluation.id} data-testid={`compare-row-${evaluation.id}`}>
                  <td className="px-3 py-1.5">
                    {evaluation.name} <StateBadge state={evaluation.state} />
                  </td>
                  <td className="px-3 py-1.5 text-xs">{evaluation.target.model}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">
                    {summary.wins}/{summary.ties}/{summary.losses}
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums">
                    {formatCrr(summary.crr)}
                    {summary.interval ? (
                      <span className="text-xs text-zinc-500">
                        {" "}
                        ({formatCrr(summary.interval.low)}–{formatCrr(summary.interval.high)})
                      </span>
                    ) : null}
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums" data-testid="crr-difference">
                    {index === 0 ? (
                      <span className="text-xs text-zinc-400">baseline</span>
                    ) : difference ? (
                      <>
                        {formatCrrPoints(difference.difference)}
                        <span className="text-xs text-zinc-500">
                          {" "}
                          ({formatCrrPoints(difference.low)} … {formatCrrPoints(difference.high)},{" "}
                          {difference.paired} paired)
                        </span>
                      </>
                    ) : (
                      <span className="text-xs text-zinc-400">{sameSet ? "—" : "different sets"}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {categories.length > 0 ? (
            <div className="max-h-72 overflow-auto rounded-md border border-zinc-200">
              <table className="w-full text-xs" aria-label="CRR per category, side by side">
                <thead className="sticky top-0 bg-zinc-50 text-left text-zinc-500">
                  <tr>
                    <th className="px-2 py-1 font-medium">Category</th>
                    {evaluations.map(({ evaluation }) => (
                      <th key={evaluation.id} className="px-2 py-1 text-right font-medium">
                        {evaluation.name}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody className="divide-y divide-zinc-100">
                  {categories.map((category) => (
                    <tr key={category}>
                      <td className="px-2 py-1">{category}</td>
                      {evaluations.map(({ evaluation, summary }) => {
                        const row = summary.byCategory.find((item) => item.category === category);
                        return (
                          <td key={evaluation.id} className="px-2 py-1 text-right tabular-nums">
                            {row ? `${formatCrr(row.crr)} (${row.total})` : "—"}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </>
      ) : null}
      <div className="flex items-center justify-between">
        <h3 className="text-sm font-medium">Per instruction</h3>
        {several && sameSet ? (
          <label className="flex items-center gap-1 text-xs text-zinc-600">
            <input
              type="checkbox"
              checked={onlyDifferent}
              onChange={(event) => setOnlyDifferent(event.target.checked)}
            />
            Only where the outcomes differ
          </label>
        ) : null}
      </div>
      {!sameSet ? (
        <p className="text-xs text-zinc-500">
          These evaluations use different sets: pick evaluations of one set to compare instruction by
          instruction.
        </p>
      ) : null}
      <ul
        className="max-h-[32rem] divide-y divide-zinc-100 overflow-auto rounded-md border border-zinc-200 text-sm"
        aria-label="Instructions"
      >
        {shown.map((row) => (
          <li key={row.id}>
            <button
              className="flex w-full items-center gap-2 px-2 py-1.5 text-left hover:bg-zinc-50"
              aria-expanded={open === row.id}
              onClick={() => setOpen(open === row.id ? null : row.id)}
            >
              <span className="w-8 shrink-0 text-xs text-zinc-400">#{row.position}</span>
              <span className="min-w-0 flex-1 truncate">{row.instruction}</span>
              {row.category ? <span className="shrink-0 text-xs text-zinc-400">{row.category}</span> : null}
              {ids.map((id) => (
                <OutcomeBadge key={id} outcome={row.outcomes[id] ?? null} />
              ))}
            </button>
            {open === row.id ? (
              <div className="border-t border-zinc-100 bg-white p-2">
                <DrillDown projectId={projectId} ids={ids} instructionId={row.id} names={names} />
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}

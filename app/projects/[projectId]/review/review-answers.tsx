"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import type { ReviewDetail } from "@/lib/db/review";
import { formatScore } from "./review-badges";
import { TextEditor } from "./review-editor";
import { Markdown } from "./review-markdown";

type Role = "strong" | "target";

/** Strong and target answers side by side, as sanitized markdown; the kept one can be edited. */
export function AnswersView({
  detail,
  editing,
  pending,
  error,
  onEdit,
  onSave,
  onCancel,
}: {
  detail: ReviewDetail;
  editing: boolean;
  pending: boolean;
  error: string | undefined;
  onEdit: () => void;
  onSave: (text: string | null) => void;
  onCancel: () => void;
}) {
  const kept = detail.version.keptAnswer;
  return (
    <div className="grid gap-3 md:grid-cols-2" data-testid="review-answers">
      {(["strong", "target"] as const).map((role) => (
        <AnswerColumn
          key={role}
          role={role}
          detail={detail}
          isKept={kept === role}
          editing={editing && kept === role}
          pending={pending}
          error={error}
          onEdit={onEdit}
          onSave={onSave}
          onCancel={onCancel}
        />
      ))}
    </div>
  );
}

function AnswerColumn({
  role,
  detail,
  isKept,
  editing,
  pending,
  error,
  onEdit,
  onSave,
  onCancel,
}: {
  role: Role;
  detail: ReviewDetail;
  isKept: boolean;
  editing: boolean;
  pending: boolean;
  error: string | undefined;
  onEdit: () => void;
  onSave: (text: string | null) => void;
  onCancel: () => void;
}) {
  const [showOriginal, setShowOriginal] = useState(false);
  const answer = detail.answers[role];
  const edited = isKept ? detail.version.editedAnswer : null;
  const score = role === "strong" ? detail.version.strongScore : detail.version.targetScore;
  return (
    <section
      aria-label={`${role === "strong" ? "Strong" : "Target"} model's answer`}
      data-testid={`answer-${role}`}
      className={`min-w-0 rounded-md border p-2 ${isKept ? "border-emerald-300 bg-emerald-50/30" : "border-zinc-200"}`}
    >
      <header className="mb-1 flex flex-wrap items-center gap-2 text-xs">
        <span className="font-semibold text-zinc-800">{role === "strong" ? "Strong" : "Target"}</span>
        <span className="truncate text-zinc-500">{answer?.model ?? "no answer"}</span>
        <span className="tabular-nums text-zinc-600">score {formatScore(score)}</span>
        {isKept ? (
          <span className="rounded bg-emerald-600 px-1.5 text-[11px] font-medium text-white">kept</span>
        ) : null}
        {edited ? <span className="text-[11px] font-medium text-amber-700">edited</span> : null}
        {isKept && !editing && answer ? (
          <Button size="sm" variant="ghost" className="ml-auto" onClick={onEdit}>
            Edit answer (E)
          </Button>
        ) : null}
      </header>
      {editing && answer ? (
        <TextEditor
          label="Kept answer"
          initial={edited ?? answer.text}
          pending={pending}
          error={error}
          onSave={onSave}
          onCancel={onCancel}
          onRevert={edited ? () => onSave(null) : undefined}
        />
      ) : answer ? (
        <>
          <Markdown text={edited && !showOriginal ? edited : answer.text} />
          {edited ? (
            <button
              type="button"
              className="text-[11px] text-indigo-700 hover:underline"
              onClick={() => setShowOriginal(!showOriginal)}
            >
              {showOriginal ? "Show the edit" : "Show the generated answer"}
            </button>
          ) : null}
        </>
      ) : (
        <p className="text-sm text-zinc-500">Not answered yet.</p>
      )}
    </section>
  );
}

/** Both judge orders (the strong model judges each pair twice, swapping positions), their means and the gap. */
export function JudgementView({ judgement }: { judgement: ReviewDetail["judgement"] }) {
  if (!judgement) return <p className="text-sm text-zinc-500">Not judged yet.</p>;
  const rows = [
    {
      label: "Order A (strong shown first)",
      strong: judgement.strongScoreOrderA,
      target: judgement.targetScoreOrderA,
    },
    {
      label: "Order B (target shown first)",
      strong: judgement.strongScoreOrderB,
      target: judgement.targetScoreOrderB,
    },
    { label: "Mean", strong: judgement.strongScore, target: judgement.targetScore },
  ];
  return (
    <div data-testid="review-judgement" className="space-y-1">
      <table className="w-full max-w-md text-xs">
        <thead className="text-left text-zinc-500">
          <tr>
            <th className="py-0.5 font-medium">Judge: {judgement.judgeModel}</th>
            <th className="w-16 py-0.5 text-right font-medium">Strong</th>
            <th className="w-16 py-0.5 text-right font-medium">Target</th>
          </tr>
        </thead>
        <tbody className="tabular-nums">
          {rows.map((row) => (
            <tr
              key={row.label}
              className={row.label === "Mean" ? "border-t border-zinc-200 font-medium" : ""}
            >
              <td className="py-0.5 text-zinc-700">{row.label}</td>
              <td className="py-0.5 text-right">{formatScore(row.strong)}</td>
              <td className="py-0.5 text-right">{formatScore(row.target)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-zinc-700">
        Gap <span className="font-semibold tabular-nums">{formatScore(judgement.gap)}</span> against threshold
        θ = <span className="tabular-nums">{formatScore(judgement.threshold)}</span> →{" "}
        <span className="font-medium">{judgement.decision.replace("_", " ")}</span>
      </p>
      {judgement.orderInconsistent ? (
        <p role="note" className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-800">
          The two orders disagree on which answer is better: the mean gap is not trusted (the project setting
          decides whether such a verdict is rewritten or dropped).
        </p>
      ) : null}
      {judgement.rawOrderA !== null || judgement.rawOrderB !== null ? (
        <details className="text-xs">
          <summary className="cursor-pointer text-zinc-600">Raw judge output</summary>
          <dl className="mt-1 space-y-1">
            <dt className="text-zinc-500">Order A</dt>
            <dd>
              <pre className="whitespace-pre-wrap break-words rounded bg-zinc-50 p-1">
                {judgement.rawOrderA}
              </pre>
            </dd>
            <dt className="text-zinc-500">Order B</dt>
            <dd>
              <pre className="whitespace-pre-wrap break-words rounded bg-zinc-50 p-1">
                {judgement.rawOrderB}
              </pre>
            </dd>
          </dl>
        </details>
      ) : null}
    </div>
  );
}

/** Why the screen dropped a version before answering it: its near-duplicate twin or the evaluation item it copies. */
export function ScreenFindingView({
  duplicateOf,
  contamination,
}: Pick<ReviewDetail, "duplicateOf" | "contamination">) {
  if (duplicateOf) {
    return (
      <div data-testid="review-duplicate" className="space-y-1 text-xs">
        <p className="text-zinc-700">
          Near-duplicate of #{duplicateOf.id} (ROUGE-L{" "}
          <span className="tabular-nums">{duplicateOf.score.toFixed(2)}</span>):
        </p>
        <blockquote className="border-l-2 border-zinc-300 pl-2 text-zinc-700">{duplicateOf.text}</blockquote>
      </div>
    );
  }
  if (contamination) {
    return (
      <div data-testid="review-contamination" className="space-y-1 text-xs">
        <p className="text-zinc-700">
          Copies item {contamination.itemId} of the evaluation set {contamination.setName} (
          {contamination.kind === "ngram" ? `shared words: “${contamination.ngram}”` : "near-duplicate text"}
          ):
        </p>
        <blockquote className="border-l-2 border-zinc-300 pl-2 text-zinc-700">
          {contamination.itemText}
        </blockquote>
      </div>
    );
  }
  return null;
}

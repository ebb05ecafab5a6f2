"use client";

import type { ChainStep } from "@/lib/db/review";
import { formatScore, StateBadge } from "./review-badges";
import { countChangedWords, wordDiff, type DiffPart } from "./word-diff";

export function DiffText({ parts }: { parts: DiffPart[] }) {
  return (
    <p className="whitespace-pre-wrap break-words text-sm leading-relaxed text-zinc-800">
      {parts.map((part, index) =>
        part.kind === "added" ? (
          <ins key={index} className="rounded-sm bg-emerald-100 text-emerald-900 no-underline">
            {part.text}
          </ins>
        ) : part.kind === "removed" ? (
          <del key={index} className="rounded-sm bg-red-100 text-red-800 line-through">
            {part.text}
          </del>
        ) : (
          <span key={index}>{part.text}</span>
        ),
      )}
    </p>
  );
}

function Scores({ step }: { step: ChainStep }) {
  return (
    <span className="text-xs tabular-nums text-zinc-500">
      strong {formatScore(step.strongScore)} · target {formatScore(step.targetScore)} · gap{" "}
      <span className="font-medium text-zinc-700">{formatScore(step.gap)}</span>
    </span>
  );
}

/** The instruction from the basic version through each Self-Rubrics rewrite, each with a word diff to the one before. */
export function EvolutionView({ chain, currentId }: { chain: ChainStep[]; currentId: number }) {
  return (
    <ol className="space-y-2" data-testid="review-evolution">
      {chain.map((step, index) => {
        const previous = index > 0 ? chain[index - 1] : undefined;
        const parts = previous ? wordDiff(previous.text, step.text) : [];
        const changed = previous ? countChangedWords(parts) : null;
        return (
          <li
            key={step.id}
            className={`rounded-md border p-2 ${step.id === currentId ? "border-indigo-300 bg-indigo-50/40" : "border-zinc-200"}`}
            data-testid="evolution-step"
          >
            <div className="mb-1 flex flex-wrap items-center gap-x-2 gap-y-1">
              <span className="text-xs font-semibold text-zinc-800">Iteration {step.iteration}</span>
              <span className="text-xs text-zinc-600">
                {previous ? (
                  <>
                    action:{" "}
                    <span className="font-medium text-indigo-700">{step.actionApplied ?? "unknown"}</span>
                  </>
                ) : (
                  "basic instruction"
                )}
              </span>
              <StateBadge state={step.state} />
              <Scores step={step} />
              {changed ? (
                <span className="text-[11px] text-zinc-500">
                  <span className="text-emerald-700">+{changed.added}</span>{" "}
                  <span className="text-red-700">−{changed.removed}</span> words
                </span>
              ) : null}
            </div>
            {previous ? (
              <DiffText parts={parts} />
            ) : (
              <p className="whitespace-pre-wrap break-words text-sm leading-relaxed text-zinc-800">
                {step.text}
              </p>
            )}
          </li>
        );
      })}
    </ol>
  );
}

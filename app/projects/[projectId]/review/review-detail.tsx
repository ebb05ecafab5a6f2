"use client";

import { useState, type ReactNode, type RefObject } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/field";
import type { ReviewDetail } from "@/lib/db/review";
import { AnswersView, JudgementView, ScreenFindingView } from "./review-answers";
import { DecisionBadge, formatScore, StateBadge } from "./review-badges";
import { TextEditor } from "./review-editor";
import { DiffText, EvolutionView } from "./review-evolution";
import { wordDiff } from "./word-diff";

export type EditTarget = "instruction" | "answer";

export interface DetailHandlers {
  onDecide: (decision: "accepted" | "rejected" | null) => void;
  onEdit: (target: EditTarget) => void;
  onCancelEdit: () => void;
  onSaveInstruction: (text: string | null) => void;
  onSaveAnswer: (text: string | null) => void;
  onSaveNote: (note: string) => void;
  onUndo: () => void;
}

function Section({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="space-y-1.5" data-testid={testId}>
      <h3 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">{title}</h3>
      {children}
    </section>
  );
}

export function ReviewDetailPane({
  detail,
  editing,
  pending,
  actionError,
  canUndo,
  noteRef,
  handlers,
}: {
  detail: ReviewDetail;
  editing: EditTarget | null;
  pending: boolean;
  actionError: string | undefined;
  canUndo: boolean;
  noteRef: RefObject<HTMLTextAreaElement | null>;
  handlers: DetailHandlers;
}) {
  const { version } = detail;
  const decision = version.reviewDecision;
  return (
    <article className="space-y-4" aria-label={`Instruction ${version.id}`} data-testid="review-detail">
      <header className="flex flex-wrap items-center gap-2 border-b border-zinc-100 pb-2">
        <h2 className="text-sm font-semibold">#{version.id}</h2>
        <span className="text-xs text-zinc-600">iteration {version.iteration}</span>
        <StateBadge state={version.state} />
        <span className="text-xs tabular-nums text-zinc-600">gap {formatScore(version.gap)}</span>
        <span data-testid="detail-decision">
          <DecisionBadge decision={decision} />
        </span>
        <div className="ml-auto flex items-center gap-1.5">
          <Button
            size="sm"
            variant={decision === "accepted" ? "primary" : "secondary"}
            aria-pressed={decision === "accepted"}
            disabled={pending}
            onClick={() => handlers.onDecide("accepted")}
          >
            Accept (a)
          </Button>
          <Button
            size="sm"
            variant={decision === "rejected" ? "danger" : "secondary"}
            aria-pressed={decision === "rejected"}
            disabled={pending}
            onClick={() => handlers.onDecide("rejected")}
          >
            Reject (r)
          </Button>
          {decision ? (
            <Button size="sm" variant="ghost" disabled={pending} onClick={() => handlers.onDecide(null)}>
              Clear
            </Button>
          ) : null}
          <Button
            size="sm"
            variant="ghost"
            disabled={pending || editing !== null}
            onClick={() => handlers.onEdit("instruction")}
          >
            Edit (e)
          </Button>
          <Button size="sm" variant="ghost" disabled={pending || !canUndo} onClick={handlers.onUndo}>
            Undo (u)
          </Button>
        </div>
      </header>
      {actionError ? (
        <p role="alert" className="rounded-md bg-red-50 px-2 py-1 text-sm text-red-700">
          {actionError}
        </p>
      ) : null}
      {version.dropReason ? <p className="text-xs text-zinc-600">Reason: {version.dropReason}</p> : null}
      <ScreenFindingView duplicateOf={detail.duplicateOf} contamination={detail.contamination} />

      <Section title="Instruction" testId="review-instruction">
        {editing === "instruction" ? (
          <TextEditor
            label="Instruction"
            initial={version.editedText ?? version.text}
            pending={pending}
            error={actionError}
            onSave={handlers.onSaveInstruction}
            onCancel={handlers.onCancelEdit}
            onRevert={version.editedText ? () => handlers.onSaveInstruction(null) : undefined}
          />
        ) : (
          <InstructionText text={version.text} editedText={version.editedText} />
        )}
      </Section>

      {detail.chain.length > 1 ? (
        <Section title={`Evolution (${detail.chain.length} iterations)`}>
          <EvolutionView chain={detail.chain} currentId={version.id} />
        </Section>
      ) : (
        <p className="text-xs text-zinc-500">Basic instruction: not rewritten by Self-Rubrics.</p>
      )}
      {detail.nextVersionId ? (
        <p className="text-xs text-zinc-600">Superseded by its next iteration, #{detail.nextVersionId}.</p>
      ) : null}

      <Section title="Answers">
        <AnswersView
          detail={detail}
          editing={editing === "answer"}
          pending={pending}
          error={actionError}
          onEdit={() => handlers.onEdit("answer")}
          onSave={handlers.onSaveAnswer}
          onCancel={handlers.onCancelEdit}
        />
      </Section>

      <Section title="Judgement">
        <JudgementView judgement={detail.judgement} />
      </Section>

      <Section title="Metadata and rubrics" testId="review-metadata">
        <p className="text-sm">
          <span className="text-zinc-500">Use case:</span>{" "}
          <span className="font-medium">{detail.metadata.useCase}</span>
        </p>
        <ul className="flex flex-wrap gap-1" aria-label="Skills">
          {detail.metadata.skills.map((skill) => (
            <li key={skill} className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs text-zinc-700">
              {skill}
            </li>
          ))}
        </ul>
        {detail.rubricSet ? (
          <div className="grid gap-2 text-xs text-zinc-700 md:grid-cols-2">
            <div>
              <p className="font-medium text-zinc-500">Rubrics</p>
              <ul className="list-disc pl-4">
                {detail.rubricSet.rubrics.map((rubric, index) => (
                  <li key={index}>{rubric}</li>
                ))}
              </ul>
            </div>
            <div>
              <p className="font-medium text-zinc-500">Actions</p>
              <ul className="list-disc pl-4">
                {detail.rubricSet.actions.map((action, index) => (
                  <li key={index}>{action}</li>
                ))}
              </ul>
            </div>
          </div>
        ) : (
          <p className="text-xs text-zinc-500">No rubric set yet.</p>
        )}
      </Section>

      <Section title="Reviewer note">
        <NoteEditor
          key={`${version.id}:${detail.note ?? ""}`}
          note={detail.note}
          pending={pending}
          noteRef={noteRef}
          onSave={handlers.onSaveNote}
        />
      </Section>

      <Section title="History" testId="review-history">
        {detail.reviews.length === 0 ? (
          <p className="text-xs text-zinc-500">Not reviewed yet.</p>
        ) : (
          <ol className="space-y-0.5 text-xs text-zinc-700">
            {detail.reviews.map((review) => (
              <li key={review.id} className="flex flex-wrap gap-x-2">
                <time className="tabular-nums text-zinc-500" dateTime={review.createdAt}>
                  {new Date(review.createdAt).toLocaleString("en-GB")}
                </time>
                <span>{review.reviewer}</span>
                <span className="font-medium">{review.decision ?? "no decision"}</span>
                {review.editedText ? <span>instruction edited</span> : null}
                {review.editedAnswer ? <span>answer edited</span> : null}
                {review.batchId ? <span className="text-zinc-500">(bulk)</span> : null}
                {review.note ? <span className="italic text-zinc-600">“{review.note}”</span> : null}
              </li>
            ))}
          </ol>
        )}
      </Section>
    </article>
  );
}

function InstructionText({ text, editedText }: { text: string; editedText: string | null }) {
  const [showDiff, setShowDiff] = useState(false);
  if (!editedText) return <p className="whitespace-pre-wrap break-words text-sm leading-relaxed">{text}</p>;
  return (
    <div className="space-y-1">
      <p className="text-[11px] font-medium text-amber-700">Edited by a reviewer</p>
      {showDiff ? (
        <DiffText parts={wordDiff(text, editedText)} />
      ) : (
        <p className="whitespace-pre-wrap break-words text-sm leading-relaxed">{editedText}</p>
      )}
      <button
        type="button"
        className="text-[11px] text-indigo-700 hover:underline"
        onClick={() => setShowDiff(!showDiff)}
      >
        {showDiff ? "Show the edited text" : "Show changes from the generated text"}
      </button>
    </div>
  );
}

function NoteEditor({
  note,
  pending,
  noteRef,
  onSave,
}: {
  note: string | null;
  pending: boolean;
  noteRef: RefObject<HTMLTextAreaElement | null>;
  onSave: (note: string) => void;
}) {
  const [text, setText] = useState(note ?? "");
  const changed = text.trim() !== (note ?? "");
  return (
    <form
      className="space-y-1"
      onSubmit={(event) => {
        event.preventDefault();
        if (changed) onSave(text.trim());
      }}
    >
      <Textarea
        ref={noteRef}
        rows={2}
        aria-label="Reviewer note"
        placeholder="Why you accepted, rejected or edited it (n)"
        value={text}
        maxLength={5000}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") event.currentTarget.blur();
          if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && changed) {
            event.preventDefault();
            onSave(text.trim());
          }
        }}
      />
      <Button size="sm" type="submit" disabled={pending || !changed}>
        Save note
      </Button>
    </form>
  );
}

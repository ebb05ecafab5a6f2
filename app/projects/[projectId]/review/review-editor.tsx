"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/field";

/** Inline editing of generated text: Ctrl/Cmd+Enter saves, Esc cancels. */
export function TextEditor({
  label,
  initial,
  pending,
  error,
  onSave,
  onCancel,
  onRevert,
}: {
  label: string;
  initial: string;
  pending: boolean;
  error: string | undefined;
  onSave: (text: string) => void;
  onCancel: () => void;
  /** Drops the edit and goes back to the generated text (shown when there is an edit). */
  onRevert?: () => void;
}) {
  const [text, setText] = useState(initial);
  const id = `editor-${label.replace(/\W+/g, "-").toLowerCase()}`;
  const empty = text.trim() === "";
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-xs font-medium text-zinc-700">
        {label}
      </label>
      <Textarea
        id={id}
        autoFocus
        rows={Math.min(16, Math.max(4, text.split("\n").length + 1))}
        value={text}
        aria-invalid={empty || error ? true : undefined}
        aria-describedby={empty || error ? `${id}-error` : undefined}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            onCancel();
          } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && !empty) {
            event.preventDefault();
            onSave(text);
          }
        }}
        className="font-mono text-[13px]"
      />
      {empty || error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-red-600">
          {empty ? "The text cannot be empty" : error}
        </p>
      ) : null}
      <div className="flex items-center gap-2">
        <Button size="sm" variant="primary" disabled={pending || empty} onClick={() => onSave(text)}>
          {pending ? "Saving…" : "Save edit"}
        </Button>
        <Button size="sm" onClick={onCancel} disabled={pending}>
          Cancel
        </Button>
        {onRevert ? (
          <Button size="sm" variant="ghost" onClick={onRevert} disabled={pending}>
            Revert to generated text
          </Button>
        ) : null}
        <span className="ml-auto text-[11px] text-zinc-500">Ctrl+Enter saves · Esc cancels</span>
      </div>
    </div>
  );
}

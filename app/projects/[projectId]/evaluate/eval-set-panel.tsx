"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input, Select } from "@/components/ui/field";
import type { EvalSetFilePreview } from "@/lib/evaluation/eval-set-file";
import type { AddedEvalSet } from "@/lib/evaluation/sets";
import {
  deleteEvalSetAction,
  importEvalSetFileAction,
  loadPublicSetAction,
  previewEvalSetFileAction,
} from "./evaluate-actions";
import { unwrapAction as unwrap } from "@/lib/errors";
import { countOf } from "@/components/count-of";
import { number, type EvalSetView, type PublicSetView } from "./evaluate-client";

function OverlapWarning({ count, examples }: { count: number; examples?: string[] }) {
  return (
    <div
      data-testid="overlap-warning"
      className="rounded-md border border-amber-200 bg-amber-50 p-2 text-xs text-amber-900"
    >
      <p>
        <strong>{number(count)}</strong>{" "}
        {count === 1 ? "instruction is also a seed" : "instructions are also seeds"} of this project. Test
        instructions should stay out of the training data (the paper keeps them apart): remove those seeds or
        use another set.
      </p>
      {examples && examples.length > 0 ? (
        <ul className="mt-1 list-disc pl-4">
          {examples.map((example) => (
            <li key={example} className="truncate" title={example}>
              {example}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function addedMessage(added: AddedEvalSet): string {
  return added.created
    ? `Added ${added.name}: ${countOf(added.instructionCount, "instruction")}`
    : `${added.name} is already in this project (${countOf(added.instructionCount, "instruction")})`;
}

/** Vicuna's 80 questions are Apache-2.0: results on them can be used commercially (unlike the CC BY-NC sets). */
const preselectedPublicSet = "vicuna-80";

function PublicSetLoader({
  projectId,
  publicSets,
  onAdded,
}: {
  projectId: number;
  publicSets: PublicSetView[];
  onAdded: (added: AddedEvalSet) => void;
}) {
  const ids = useId();
  const [name, setName] = useState(
    (
      publicSets.find((set) => set.available && set.name === preselectedPublicSet) ??
      publicSets.find((set) => set.available)
    )?.name ?? "",
  );
  const chosen = publicSets.find((set) => set.name === name);
  const load = useMutation({
    mutationFn: () => unwrap(loadPublicSetAction({ projectId, name })),
    onSuccess: onAdded,
  });
  if (!publicSets.some((set) => set.available)) {
    return (
      <p role="alert" className="text-xs text-amber-800">
        The public sets are not available: the repository ships them in data/. Restore that folder (git
        checkout -- data) or set CODECLM_PUBLIC_DATA_DIR to a copy of it.
      </p>
    );
  }
  return (
    <div className="space-y-2">
      <Field label="Public set" htmlFor={`${ids}-public`}>
        <Select id={`${ids}-public`} value={name} onChange={(event) => setName(event.target.value)}>
          {publicSets.map((set) => (
            <option key={set.name} value={set.name} disabled={!set.available}>
              {set.title} ({set.license})
            </option>
          ))}
        </Select>
      </Field>
      {chosen ? (
        <div className="space-y-1 text-xs text-zinc-600" data-testid="public-set-notice">
          <p>{chosen.description}</p>
          <p>
            <span className="font-medium text-zinc-800">Licence {chosen.license}.</span> {chosen.notice}{" "}
            <a
              className="text-indigo-700 underline"
              href={`/api/public-eval-sets/${chosen.name}/license`}
              target="_blank"
              rel="noreferrer"
            >
              Licence text
            </a>
          </p>
          <p className="text-zinc-400">From {chosen.origin}</p>
        </div>
      ) : null}
      <Button
        size="sm"
        variant="primary"
        onClick={() => load.mutate()}
        disabled={!chosen?.available || load.isPending}
      >
        {load.isPending ? "Loading…" : "Load set"}
      </Button>
      {load.error ? (
        <p role="alert" className="text-xs text-red-600">
          {load.error.message}
        </p>
      ) : null}
    </div>
  );
}

function FileImporter({ projectId, onAdded }: { projectId: number; onAdded: (added: AddedEvalSet) => void }) {
  const ids = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<EvalSetFilePreview | null>(null);
  const [fields, setFields] = useState({ instructionField: "", inputField: "", categoryField: "" });
  const [name, setName] = useState("");
  const [failure, setFailure] = useState<{ error: string; lines: string[] } | null>(null);

  const formData = (chosen: File, withFields: boolean) => {
    const data = new FormData();
    data.set("projectId", String(projectId));
    data.set("file", chosen);
    if (withFields) {
      for (const [key, value] of Object.entries(fields)) data.set(key, value);
      data.set("name", name);
    }
    return data;
  };
  const previewMutation = useMutation({
    mutationFn: (chosen: File) => previewEvalSetFileAction(formData(chosen, false)),
    onSuccess: (result) => {
      if (!result.ok) {
        setPreview(null);
        setFailure({
          error: result.error,
          lines: (result.details as { lines?: string[] } | undefined)?.lines ?? [],
        });
        return;
      }
      setFailure(null);
      setPreview(result.data);
      setFields({
        instructionField: result.data.suggestedInstructionField ?? result.data.fields[0] ?? "",
        inputField: result.data.suggestedInputField ?? "",
        categoryField: result.data.suggestedCategoryField ?? "",
      });
    },
  });
  const importMutation = useMutation({
    mutationFn: () => importEvalSetFileAction(formData(file!, true)),
    onSuccess: (result) => {
      if (!result.ok) {
        setFailure({
          error: result.error,
          lines: (result.details as { lines?: string[] } | undefined)?.lines ?? [],
        });
        return;
      }
      setFailure(null);
      setPreview(null);
      setFile(null);
      setName("");
      if (fileInput.current) fileInput.current.value = "";
      onAdded(result.data);
    },
  });
  const fieldSelect = (key: keyof typeof fields, label: string, optional: boolean) => (
    <Field label={label} htmlFor={`${ids}-${key}`}>
      <Select
        id={`${ids}-${key}`}
        value={fields[key]}
        onChange={(event) => setFields({ ...fields, [key]: event.target.value })}
      >
        {optional ? <option value="">— none —</option> : null}
        {preview!.fields.map((field) => (
          <option key={field} value={field}>
            {field}
          </option>
        ))}
      </Select>
    </Field>
  );

  return (
    <div className="space-y-2">
      <Field
        label="Evaluation set file"
        htmlFor={`${ids}-file`}
        hint="JSONL, JSON array, CSV/TSV with a header, or text (one instruction per line)."
      >
        <input
          ref={fileInput}
          id={`${ids}-file`}
          type="file"
          accept=".jsonl,.ndjson,.json,.csv,.tsv,.txt,text/plain,application/json,text/csv"
          className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm hover:file:bg-zinc-50"
          onChange={(event) => {
            const chosen = event.target.files?.[0] ?? null;
            setFile(chosen);
            setName(chosen?.name ?? "");
            if (chosen) previewMutation.mutate(chosen);
          }}
        />
      </Field>
      {preview ? (
        <div className="space-y-2">
          <p className="text-xs text-zinc-600" data-testid="eval-file-summary">
            {preview.fileName}: {preview.format.toUpperCase()}, {countOf(preview.rowCount, "record")}
            {preview.errorCount > 0 ? `, ${preview.errorCount} unreadable (the file will be refused)` : ""}
          </p>
          <div className="grid grid-cols-2 gap-2">
            {fieldSelect("instructionField", "Instruction field", false)}
            {fieldSelect("inputField", "Input field (optional)", true)}
            {fieldSelect("categoryField", "Category field (optional)", true)}
            <Field label="Set name" htmlFor={`${ids}-name`}>
              <Input id={`${ids}-name`} value={name} onChange={(event) => setName(event.target.value)} />
            </Field>
          </div>
          <Button
            size="sm"
            variant="primary"
            onClick={() => importMutation.mutate()}
            disabled={importMutation.isPending || !fields.instructionField}
          >
            {importMutation.isPending ? "Importing…" : `Import ${countOf(preview.rowCount, "instruction")}`}
          </Button>
        </div>
      ) : null}
      {failure ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-2 text-xs text-red-800">
          <p className="font-medium">{failure.error}</p>
          {failure.lines.length > 0 ? (
            <ul className="mt-1 list-disc pl-4" aria-label="Problems by line">
              {failure.lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

export function EvalSetPanel({
  projectId,
  initialSets,
  publicSets,
}: {
  projectId: number;
  initialSets: EvalSetView[];
  publicSets: PublicSetView[];
}) {
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<"public" | "file">("public");
  const [added, setAdded] = useState<AddedEvalSet | null>(null);
  const [deleting, setDeleting] = useState<EvalSetView | null>(null);
  const sets = useQuery<EvalSetView[]>({
    queryKey: queryKeys.evalSets(projectId),
    queryFn: ({ signal }) => fetchJson(`/api/projects/${projectId}/eval-sets`, { signal }),
    initialData: initialSets,
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.evalSets(projectId) });
  const remove = useMutation({
    mutationFn: (setId: number) => unwrap(deleteEvalSetAction({ projectId, setId })),
    onSuccess: () => {
      setDeleting(null);
      refresh();
      void queryClient.invalidateQueries({ queryKey: queryKeys.evaluationList(projectId) });
    },
  });
  const onAdded = (result: AddedEvalSet) => {
    setAdded(result);
    refresh();
  };

  return (
    <section
      aria-label="Evaluation sets"
      className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4"
    >
      <h2 className="font-semibold">Evaluation sets</h2>
      {sets.data.length === 0 ? (
        <p className="text-xs text-zinc-500">
          No set yet: load a public one or import held-out instructions.
        </p>
      ) : null}
      <ul className="space-y-2 text-sm">
        {sets.data.map((set) => (
          <li
            key={set.id}
            className="space-y-1 rounded-md border border-zinc-100 p-2"
            data-testid={`eval-set-${set.id}`}
          >
            <div className="flex items-baseline justify-between gap-2">
              <span className="font-medium">{set.name}</span>
              <button
                className="text-xs text-zinc-400 hover:text-red-600"
                onClick={() => setDeleting(set)}
                aria-label={`Delete ${set.name}`}
              >
                Delete
              </button>
            </div>
            <p className="text-xs text-zinc-500">
              {countOf(set.instructionCount, "instruction")} ·{" "}
              {set.categoryCount > 0 ? `${set.categoryCount} categories` : "no categories"}
              {set.license ? ` · ${set.license}` : ""} · {set.evaluationCount} evaluation
              {set.evaluationCount === 1 ? "" : "s"}
            </p>
            {set.licenseNotice ? <p className="text-xs text-zinc-500">{set.licenseNotice}</p> : null}
            {set.seedOverlap > 0 ? <OverlapWarning count={set.seedOverlap} /> : null}
          </li>
        ))}
      </ul>
      <div role="tablist" className="flex gap-1 text-sm">
        {(["public", "file"] as const).map((value) => (
          <button
            key={value}
            role="tab"
            aria-selected={mode === value}
            className={`rounded-md px-2.5 py-1 ${mode === value ? "bg-indigo-50 font-medium text-indigo-700" : "text-zinc-600 hover:bg-zinc-100"}`}
            onClick={() => setMode(value)}
          >
            {value === "public" ? "Public set" : "Import a file"}
          </button>
        ))}
      </div>
      {mode === "public" ? (
        <PublicSetLoader projectId={projectId} publicSets={publicSets} onAdded={onAdded} />
      ) : (
        <FileImporter projectId={projectId} onAdded={onAdded} />
      )}
      {added ? (
        <div className="space-y-1">
          <p
            role="status"
            className="rounded-md border border-emerald-200 bg-emerald-50 p-2 text-xs text-emerald-800"
          >
            {addedMessage(added)}
          </p>
          {added.seedOverlap > 0 ? (
            <OverlapWarning count={added.seedOverlap} examples={added.overlapExamples} />
          ) : null}
        </div>
      ) : null}
      <ConfirmDialog
        open={deleting !== null}
        title={`Delete ${deleting?.name ?? "the set"}?`}
        confirmLabel="Delete set"
        pending={remove.isPending}
        onCancel={() => setDeleting(null)}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
      >
        Its {deleting?.evaluationCount ?? 0} evaluation(s) and their results are deleted with it.
        {remove.error ? <p className="mt-2 text-red-600">{remove.error.message}</p> : null}
      </ConfirmDialog>
    </section>
  );
}

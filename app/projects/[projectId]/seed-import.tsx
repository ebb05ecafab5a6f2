"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Select, Textarea } from "@/components/ui/field";
import { queryKeys } from "@/lib/client/api";
import type { ActionResult } from "@/lib/errors";
import { seedFileTooLargeMessage } from "@/lib/formats/seed-file-limit";
import { countOf } from "@/components/count-of";
import { importSeedsAction, previewSeedsAction } from "./seed-actions";

type Preview = Extract<Awaited<ReturnType<typeof previewSeedsAction>>, { ok: true }>["data"];
type Failure = Extract<ActionResult<never>, { ok: false }>;

const formats = [
  ["auto", "Detect"],
  ["jsonl", "JSON Lines"],
  ["json", "JSON array"],
  ["csv", "CSV"],
  ["tsv", "TSV"],
  ["text", "Plain text (one per line)"],
] as const;

/** A request that failed before the action could answer (server down, body over the size limit). */
function transportFailure(error: Error): Failure {
  return {
    ok: false,
    code: "unavailable",
    error: `The file could not be sent to the server (${error.message}). Files up to 50 MB are accepted.`,
  };
}

function failureLines(failure: Failure | null): string[] {
  const details = failure?.details as { lines?: string[] } | undefined;
  return details?.lines ?? [];
}

export function SeedImport({ projectId }: { projectId: number }) {
  const ids = useId();
  const queryClient = useQueryClient();
  const router = useRouter();
  const fileInput = useRef<HTMLInputElement>(null);
  const [mode, setMode] = useState<"file" | "paste">("file");
  const [file, setFile] = useState<File | null>(null);
  const [text, setText] = useState("");
  const [format, setFormat] = useState<string>("auto");
  const [preview, setPreview] = useState<Preview | null>(null);
  const [instructionField, setInstructionField] = useState("");
  const [inputField, setInputField] = useState("");
  const [failure, setFailure] = useState<Failure | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [overlap, setOverlap] = useState(0);

  function formData(withFields: boolean): FormData {
    const data = new FormData();
    data.set("projectId", String(projectId));
    data.set("format", format);
    if (mode === "file" && file) data.set("file", file);
    else data.set("text", text);
    if (withFields) {
      data.set("instructionField", instructionField);
      data.set("inputField", inputField);
    }
    return data;
  }

  const previewMutation = useMutation({
    mutationFn: (data: FormData) => previewSeedsAction(data),
    onSuccess: (result) => {
      setDone(null);
      if (!result.ok) {
        setPreview(null);
        setFailure(result);
        return;
      }
      setFailure(null);
      setPreview(result.data);
      setInstructionField(result.data.suggestedInstructionField ?? result.data.fields[0] ?? "");
      setInputField(result.data.suggestedInputField ?? "");
    },
    onError: (error) => {
      setPreview(null);
      setFailure(transportFailure(error));
    },
  });

  const importMutation = useMutation({
    mutationFn: () => importSeedsAction(formData(true)),
    onSuccess: (result) => {
      if (!result.ok) {
        setFailure(result);
        return;
      }
      setFailure(null);
      setPreview(null);
      setFile(null);
      setText("");
      if (fileInput.current) fileInput.current.value = "";
      const { imported, duplicates, seedsInEvalSets } = result.data;
      setDone(
        `Imported ${imported.toLocaleString("en-US")} seed${imported === 1 ? "" : "s"}` +
          (duplicates > 0
            ? `; ${duplicates.toLocaleString("en-US")} exact duplicate${duplicates === 1 ? "" : "s"} skipped`
            : ""),
      );
      setOverlap(seedsInEvalSets);
      void queryClient.invalidateQueries({ queryKey: queryKeys.seeds(projectId) });
      router.refresh();
    },
    onError: (error) => setFailure(transportFailure(error)),
  });

  const previewFor = (next: { file?: File | null; format?: string }) => {
    const data = new FormData();
    data.set("projectId", String(projectId));
    data.set("format", next.format ?? format);
    const chosen = next.file === undefined ? file : next.file;
    if (mode === "file" && chosen) data.set("file", chosen);
    else data.set("text", text);
    previewMutation.mutate(data);
  };

  const lines = failureLines(failure);
  const shownFields = preview ? [instructionField, inputField].filter(Boolean) : [];

  return (
    <section
      aria-labelledby={`${ids}-heading`}
      className="h-fit space-y-3 rounded-lg border border-zinc-200 bg-white p-4"
    >
      <h2 id={`${ids}-heading`} className="font-semibold">
        Import seed instructions
      </h2>
      <div role="tablist" className="flex gap-1 text-sm">
        {(["file", "paste"] as const).map((value) => (
          <button
            key={value}
            role="tab"
            aria-selected={mode === value}
            className={`rounded-md px-2.5 py-1 ${mode === value ? "bg-indigo-50 font-medium text-indigo-700" : "text-zinc-600 hover:bg-zinc-100"}`}
            onClick={() => {
              setMode(value);
              setPreview(null);
              setFailure(null);
            }}
          >
            {value === "file" ? "Upload a file" : "Paste text"}
          </button>
        ))}
      </div>

      {mode === "file" ? (
        <Field
          label="Seed file"
          htmlFor={`${ids}-file`}
          hint="JSONL, JSON array, CSV/TSV with a header, or plain text (one instruction per line); up to 50 MB."
        >
          <input
            ref={fileInput}
            id={`${ids}-file`}
            type="file"
            accept=".jsonl,.ndjson,.json,.csv,.tsv,.txt,text/plain,application/json,text/csv"
            className="block w-full text-sm file:mr-3 file:rounded-md file:border file:border-zinc-300 file:bg-white file:px-3 file:py-1.5 file:text-sm hover:file:bg-zinc-50"
            onChange={(event) => {
              const chosen = event.target.files?.[0] ?? null;
              const tooLarge = chosen ? seedFileTooLargeMessage(chosen) : null;
              setDone(null);
              if (tooLarge) {
                setFile(null);
                setPreview(null);
                setFailure({ ok: false, error: tooLarge, code: "invalid_input" });
                return;
              }
              setFile(chosen);
              if (chosen) previewFor({ file: chosen });
            }}
          />
        </Field>
      ) : (
        <Field
          label="Instructions"
          htmlFor={`${ids}-text`}
          hint="One instruction per line, or paste JSON Lines / a JSON array."
        >
          <Textarea
            id={`${ids}-text`}
            rows={6}
            value={text}
            onChange={(event) => setText(event.target.value)}
            className="font-mono text-xs"
          />
          <Button
            size="sm"
            onClick={() => previewFor({})}
            disabled={text.trim() === "" || previewMutation.isPending}
          >
            Preview
          </Button>
        </Field>
      )}

      <Field label="Format" htmlFor={`${ids}-format`}>
        <Select
          id={`${ids}-format`}
          value={format}
          onChange={(event) => {
            setFormat(event.target.value);
            if (preview || failure) previewFor({ format: event.target.value });
          }}
        >
          {formats.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </Select>
      </Field>

      {previewMutation.isPending ? <p className="text-xs text-zinc-500">Reading the file…</p> : null}

      {preview ? (
        <div className="space-y-3">
          <p className="text-xs text-zinc-600" data-testid="preview-summary">
            {preview.fileName ?? "Pasted text"}: {preview.format.toUpperCase()},{" "}
            {countOf(preview.rowCount, "record")}
            {preview.errorCount > 0 ? `, ${preview.errorCount} unreadable` : ""}
          </p>
          {preview.errorCount > 0 ? (
            <div
              role="alert"
              className="rounded-md border border-amber-200 bg-amber-50 p-2 text-xs text-amber-900"
            >
              <p className="font-medium">
                These records cannot be read; the file will be refused until they are fixed:
              </p>
              <ul className="mt-1 list-disc pl-4">
                {preview.errors.map((issue) => (
                  <li key={issue.message}>{issue.message}</li>
                ))}
                {preview.errorCount > preview.errors.length ? (
                  <li>…and {preview.errorCount - preview.errors.length} more</li>
                ) : null}
              </ul>
            </div>
          ) : null}
          <div className="grid grid-cols-2 gap-2">
            <Field label="Instruction field" htmlFor={`${ids}-instruction`}>
              <Select
                id={`${ids}-instruction`}
                value={instructionField}
                onChange={(event) => setInstructionField(event.target.value)}
              >
                {preview.fields.map((field) => (
                  <option key={field} value={field}>
                    {field}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Input / context field (optional)" htmlFor={`${ids}-input`}>
              <Select
                id={`${ids}-input`}
                value={inputField}
                onChange={(event) => setInputField(event.target.value)}
              >
                <option value="">— none —</option>
                {preview.fields
                  .filter((field) => field !== instructionField)
                  .map((field) => (
                    <option key={field} value={field}>
                      {field}
                    </option>
                  ))}
              </Select>
            </Field>
          </div>
          <div className="max-h-64 overflow-auto rounded-md border border-zinc-200">
            <table className="w-full text-xs" aria-label="Preview of the first records">
              <thead className="sticky top-0 bg-zinc-50 text-left text-zinc-500">
                <tr>
                  {shownFields.map((field) => (
                    <th key={field} className="px-2 py-1 font-medium">
                      {field}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100">
                {preview.preview.map((row, index) => (
                  <tr key={index}>
                    {shownFields.map((field) => (
                      <td key={field} className="max-w-48 truncate px-2 py-1" title={row[field] ?? ""}>
                        {row[field] ?? <span className="text-zinc-400">—</span>}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Button
            variant="primary"
            onClick={() => importMutation.mutate()}
            disabled={importMutation.isPending || !instructionField}
          >
            {importMutation.isPending ? "Importing…" : `Import ${countOf(preview.rowCount, "record")}`}
          </Button>
        </div>
      ) : null}

      {failure ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-xs text-red-800">
          <p className="font-medium">{failure.error}</p>
          {lines.length > 0 ? (
            <ul className="mt-1 list-disc space-y-0.5 pl-4" aria-label="Problems by line">
              {lines.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {done ? (
        <p
          role="status"
          className="rounded-md border border-emerald-200 bg-emerald-50 p-3 text-xs text-emerald-800"
        >
          {done}
        </p>
      ) : null}
      {overlap > 0 ? (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-xs text-amber-900">
          {overlap.toLocaleString("en-US")} of this project&apos;s seeds {overlap === 1 ? "is" : "are"} also
          in its evaluation sets. Test instructions should stay out of the training data: delete those seeds
          or evaluate on another set.
        </p>
      ) : null}
    </section>
  );
}

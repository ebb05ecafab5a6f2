"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson, queryKeys } from "@/lib/client/api";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import type { ExportFacets } from "@/lib/db/exports";
import { recordFormats } from "@/lib/formats/export-records";
import {
  exportFormatOf,
  exportShapeLabels,
  isParquetFormat,
  recordFormatOf,
  type ExportDecisionChoice,
  type ExportFormValues,
} from "@/lib/schemas/export";
import { actionFieldErrors, fieldErrorsOf, type FieldErrors } from "@/lib/schemas/form-errors";
import { createExportAction } from "./export-actions";
import { countQueryString, validateExportForm } from "./export-form-values";
import { exportDownloadUrl, formatBytes, type ExportView } from "./export-view";
import { useDebounced } from "@/components/use-debounced";

/** A select with an "any" choice that also shows a value not among the choices (e.g. from a review link). */
function ChoiceSelect({
  id,
  value,
  anyLabel,
  choices,
  onChange,
  invalid,
}: {
  id: string;
  value: string;
  anyLabel: string;
  choices: { value: string; label: string }[];
  onChange: (value: string) => void;
  invalid: Record<string, unknown>;
}) {
  const all =
    value && !choices.some((choice) => choice.value === value)
      ? [...choices, { value, label: value }]
      : choices;
  return (
    <Select id={id} value={value} onChange={(event) => onChange(event.target.value)} {...invalid}>
      <option value="">{anyLabel}</option>
      {all.map((choice) => (
        <option key={choice.value} value={choice.value}>
          {choice.label}
        </option>
      ))}
    </Select>
  );
}

const decisionLabels: Record<ExportDecisionChoice, string> = {
  any: "Any (rejected items are never exported)",
  accepted: "Human-accepted only",
  unreviewed: "Not reviewed yet",
};

export function ExportForm({
  projectId,
  facets,
  initialValues,
  initialCount,
}: {
  projectId: number;
  facets: ExportFacets;
  initialValues: ExportFormValues;
  /** The count for initialValues, computed on the server. */
  initialCount: number;
}) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ExportFormValues>(initialValues);
  const [initialQuery] = useState(() => {
    const parsed = validateExportForm(projectId, initialValues);
    return parsed.success ? countQueryString(parsed.data.filter, parsed.data.options.onlyAccepted) : null;
  });
  const [serverError, setServerError] = useState<{ message: string; fields: FieldErrors } | null>(null);
  const [created, setCreated] = useState<ExportView | null>(null);

  const parsed = validateExportForm(projectId, values);
  // Errors show as soon as a field holds something invalid: every field here is optional.
  const errors: FieldErrors = {
    ...serverError?.fields,
    ...(parsed.success ? {} : fieldErrorsOf(parsed.error)),
  };
  const queryString = parsed.success
    ? countQueryString(parsed.data.filter, parsed.data.options.onlyAccepted)
    : null;
  const debouncedQuery = useDebounced(queryString, 250);

  const count = useQuery<number>({
    queryKey: queryKeys.exportCount(projectId, debouncedQuery),
    queryFn: async ({ signal }) =>
      (
        await fetchJson<{ count: number }>(`/api/projects/${projectId}/exports/count`, {
          params: debouncedQuery ?? "",
          signal,
        })
      ).count,
    enabled: debouncedQuery !== null,
    initialData: debouncedQuery !== null && debouncedQuery === initialQuery ? initialCount : undefined,
    placeholderData: keepPreviousData,
  });

  const runExport = useMutation({
    mutationKey: queryKeys.exportCreate(projectId),
    // The previous export's link goes at once: a click during this export must not download the old file.
    onMutate: () => {
      setCreated(null);
      setServerError(null);
    },
    mutationFn: async (_expected: { recordCount: number | undefined }) => {
      if (!parsed.success) throw new Error("Fix the fields marked in red first");
      const result = await createExportAction(parsed.data);
      if (!result.ok) throw Object.assign(new Error(result.error), { fields: actionFieldErrors(result) });
      return result.data;
    },
    onSuccess: (view) => {
      setCreated(view);
      void queryClient.invalidateQueries({ queryKey: queryKeys.exportList(projectId) });
    },
    onError: (error: Error & { fields?: FieldErrors }) =>
      setServerError({ message: error.message, fields: error.fields ?? {} }),
  });

  function edit(next: Partial<ExportFormValues>) {
    setValues((current) => ({ ...current, ...next }));
    setServerError(null);
    setCreated(null);
  }
  const invalid = (key: string) =>
    errors[key] ? { "aria-invalid": true, "aria-describedby": `${key}-error` } : {};
  // A number is shown only when it is the count of exactly the filter on screen (never the previous filter's).
  const countIsCurrent =
    queryString !== null && queryString === debouncedQuery && !count.isPlaceholderData && !count.isFetching;
  const total = count.data;

  return (
    <form
      noValidate
      aria-labelledby="export-heading"
      className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (parsed.success) runExport.mutate({ recordCount: countIsCurrent ? total : undefined });
      }}
    >
      <h2 id="export-heading" className="font-semibold">
        New export
      </h2>

      <fieldset className="space-y-1.5">
        <legend className="mb-1 text-xs font-medium text-zinc-700">Format</legend>
        {recordFormats.map((shape) => (
          <label key={shape} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="shape"
              value={shape}
              checked={recordFormatOf(values.format) === shape}
              onChange={() => edit({ format: exportFormatOf(shape, isParquetFormat(values.format)) })}
            />
            {exportShapeLabels[shape]}
          </label>
        ))}
      </fieldset>
      <fieldset className="flex flex-wrap gap-4">
        <legend className="mb-1 text-xs font-medium text-zinc-700">File</legend>
        {[false, true].map((parquet) => (
          <label key={String(parquet)} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="file-type"
              value={parquet ? "parquet" : "jsonl"}
              checked={isParquetFormat(values.format) === parquet}
              onChange={() => edit({ format: exportFormatOf(recordFormatOf(values.format), parquet) })}
            />
            {parquet ? "Parquet" : "JSON Lines"}
          </label>
        ))}
      </fieldset>

      <fieldset className="space-y-3">
        <legend className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">
          What goes in (kept pairs)
        </legend>
        <Field label="Human decision" htmlFor="decision">
          <Select
            id="decision"
            value={values.decision}
            onChange={(event) => edit({ decision: event.target.value as ExportDecisionChoice })}
          >
            {Object.entries(decisionLabels).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Gap from" htmlFor="gapMin" error={errors.gapMin} hint="G = strong − target score">
            <Input
              id="gapMin"
              inputMode="decimal"
              placeholder="any"
              value={values.gapMin}
              onChange={(event) => edit({ gapMin: event.target.value })}
              {...invalid("gapMin")}
            />
          </Field>
          <Field label="Gap to" htmlFor="gapMax" error={errors.gapMax}>
            <Input
              id="gapMax"
              inputMode="decimal"
              placeholder="any"
              value={values.gapMax}
              onChange={(event) => edit({ gapMax: event.target.value })}
              {...invalid("gapMax")}
            />
          </Field>
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Iteration" htmlFor="iteration" error={errors.iteration}>
            <ChoiceSelect
              id="iteration"
              value={values.iteration}
              anyLabel="Any"
              choices={Array.from({ length: facets.maxIteration }, (_, index) => ({
                value: String(index + 1),
                label: index === 0 ? "1 (basic)" : String(index + 1),
              }))}
              onChange={(iteration) => edit({ iteration })}
              invalid={invalid("iteration")}
            />
          </Field>
          <Field label="Run" htmlFor="runId" error={errors.runId}>
            <ChoiceSelect
              id="runId"
              value={values.runId}
              anyLabel="All runs"
              choices={facets.runIds.map((id) => ({ value: String(id), label: `Run #${id}` }))}
              onChange={(runId) => edit({ runId })}
              invalid={invalid("runId")}
            />
          </Field>
        </div>
        <div className="grid grid-cols-2 gap-3">
          <Field label="Use case" htmlFor="useCase" error={errors.useCase}>
            <ChoiceSelect
              id="useCase"
              value={values.useCase}
              anyLabel="All use cases"
              choices={facets.useCases.map((useCase) => ({ value: useCase, label: useCase }))}
              onChange={(useCase) => edit({ useCase })}
              invalid={invalid("useCase")}
            />
          </Field>
          <Field label="Skill" htmlFor="skill" error={errors.skill}>
            <ChoiceSelect
              id="skill"
              value={values.skill}
              anyLabel="All skills"
              choices={facets.skills.map((skill) => ({ value: skill, label: skill }))}
              onChange={(skill) => edit({ skill })}
              invalid={invalid("skill")}
            />
          </Field>
        </div>
        <Field
          label="Text search"
          htmlFor="search"
          error={errors.search}
          hint="Words in the instruction (edited text when there is one)"
        >
          <Input
            id="search"
            type="search"
            value={values.search}
            onChange={(event) => edit({ search: event.target.value })}
            {...invalid("search")}
          />
        </Field>
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">Content</legend>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-1"
            checked={values.applyEdits}
            onChange={(event) => edit({ applyEdits: event.target.checked })}
          />
          <span>
            Apply reviewer edits
            <span className="block text-xs text-zinc-500">
              Edited instructions and answers replace the generated ones.
            </span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-1"
            checked={values.includeProvenance}
            onChange={(event) => edit({ includeProvenance: event.target.checked })}
          />
          <span>
            Include <code>codeclm</code> provenance
            <span className="block text-xs text-zinc-500">
              Use case, skills, iteration, both scores, gap, kept side and run per record.
            </span>
          </span>
        </label>
        <label className="flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-1"
            checked={values.fullProvenance}
            onChange={(event) => edit({ fullProvenance: event.target.checked })}
          />
          <span>
            Full provenance
            <span className="block text-xs text-zinc-500">
              Also version and metadata ids, the chain of texts with each round&apos;s action, both answers,
              the four per-order judge scores, models, prompt versions and a hash of the run&apos;s config.
            </span>
          </span>
        </label>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3 border-t border-zinc-100 pt-3">
        <Button
          type="submit"
          variant="primary"
          disabled={!parsed.success || runExport.isPending || (countIsCurrent && total === 0)}
        >
          {runExport.isPending ? "Exporting…" : "Export"}
        </Button>
        <span className="text-sm text-zinc-700" aria-live="polite" data-testid="export-count">
          {!parsed.success
            ? "Fix the marked fields to see the count"
            : !countIsCurrent || total === undefined
              ? "Counting…"
              : `${total.toLocaleString("en-US")} record${total === 1 ? "" : "s"} will be exported`}
        </span>
      </div>
      {count.error ? (
        <p role="alert" className="text-sm text-red-600">
          {count.error.message}
        </p>
      ) : null}
      {serverError && Object.keys(serverError.fields).length === 0 ? (
        <p role="alert" className="text-sm text-red-600">
          {serverError.message}
        </p>
      ) : null}
      {runExport.isPending ? (
        <p role="status" className="rounded-md bg-zinc-50 px-3 py-2 text-sm text-zinc-700">
          Writing the export… its download link appears here when the file is complete.
        </p>
      ) : null}
      {created ? (
        <p
          role="status"
          className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
          data-testid="export-ready"
        >
          Export #{created.id} is ready: {created.recordCount.toLocaleString("en-US")} record
          {created.recordCount === 1 ? "" : "s"}, {formatBytes(created.byteSize)}.{" "}
          {formatBytes(created.byteSize)}.{" "}
          <a className="font-medium underline" href={exportDownloadUrl(projectId, created.id)} download>
            Download
          </a>
        </p>
      ) : null}
    </form>
  );
}

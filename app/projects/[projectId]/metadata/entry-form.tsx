"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, Input } from "@/components/ui/field";
import type { MetadataRow } from "@/lib/db/metadata";
import { actionFieldErrors, fieldErrorsOf, type FieldErrors } from "@/lib/schemas/form-errors";
import { metadataEntrySchema, parseSkillsText, type MetadataEntryFormValues } from "@/lib/schemas/metadata";
import { createMetadataEntryAction, updateMetadataEntryAction } from "./metadata-actions";

type Row = Omit<MetadataRow, "createdAt"> & { createdAt: string };

/** Adds a hand-written entry, or edits `editing` (only entries nothing was generated from). */
export function EntryForm({
  projectId,
  maxSkills,
  editing,
  onSaved,
  onCancel,
}: {
  projectId: number;
  maxSkills: number;
  editing: Row | null;
  onSaved: (message: string) => void;
  onCancel: () => void;
}) {
  const [values, setValues] = useState<MetadataEntryFormValues>(
    editing ? { useCase: editing.useCase, skills: editing.skills.join(", ") } : { useCase: "", skills: "" },
  );
  const [showErrors, setShowErrors] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; fields: FieldErrors } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const schema = metadataEntrySchema(maxSkills);

  const validate = (): FieldErrors => {
    const parsed = schema.safeParse(values);
    return parsed.success ? {} : fieldErrorsOf(parsed.error);
  };
  const errors: FieldErrors = { ...serverError?.fields, ...(showErrors ? validate() : {}) };
  const skillsPreview = parseSkillsText(values.skills);

  const save = useMutation({
    mutationFn: async () => {
      const result = editing
        ? await updateMetadataEntryAction({ projectId, id: editing.id, ...values })
        : await createMetadataEntryAction({ projectId, ...values });
      if (!result.ok) throw Object.assign(new Error(result.error), { fields: actionFieldErrors(result) });
      return result.data;
    },
    onSuccess: (row) => {
      setConfirming(false);
      if (!editing) {
        setValues({ useCase: "", skills: "" });
        setShowErrors(false);
      }
      onSaved(editing ? `Entry #${row.id} saved.` : `Entry #${row.id} added.`);
    },
    onError: (error: Error & { fields?: FieldErrors }) => {
      setConfirming(false);
      setServerError({ message: error.message, fields: error.fields ?? {} });
    },
  });

  function edit(next: MetadataEntryFormValues) {
    setValues(next);
    setServerError(null);
  }
  const invalid = (key: string) =>
    errors[key] ? { "aria-invalid": true, "aria-describedby": `metadata-${key}-error` } : {};

  return (
    <form
      noValidate
      aria-labelledby="entry-form-heading"
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        setShowErrors(true);
        if (Object.keys(validate()).length > 0) return;
        // Rubrics were written for the old text: replacing them cannot be undone, so ask first.
        if (editing?.hasRubricSet) setConfirming(true);
        else save.mutate();
      }}
    >
      <h2 id="entry-form-heading" className="font-semibold">
        {editing ? `Edit entry #${editing.id}` : "Add an entry by hand"}
      </h2>
      <Field
        label="Use case"
        htmlFor="metadata-useCase"
        error={errors.useCase}
        hint="The task the instruction serves, e.g. question answering, creative writing."
      >
        <Input
          id="metadata-useCase"
          value={values.useCase}
          onChange={(event) => edit({ ...values, useCase: event.target.value })}
          {...invalid("useCase")}
        />
      </Field>
      <Field
        label={`Skills (comma-separated, at most ${maxSkills})`}
        htmlFor="metadata-skills"
        error={errors.skills}
        hint={
          skillsPreview.length > 0
            ? `Saved as: ${skillsPreview.join(" · ")}`
            : "What answering needs, 2–3 words each, e.g. algorithms, communication."
        }
      >
        <Input
          id="metadata-skills"
          value={values.skills}
          onChange={(event) => edit({ ...values, skills: event.target.value })}
          {...invalid("skills")}
        />
      </Field>
      <div className="flex items-center gap-2">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : editing ? "Save entry" : "Add entry"}
        </Button>
        {editing ? <Button onClick={onCancel}>Cancel</Button> : null}
      </div>
      {serverError && Object.keys(serverError.fields).length === 0 ? (
        <p role="alert" className="text-sm text-red-600">
          {serverError.message}
        </p>
      ) : null}
      <ConfirmDialog
        open={confirming}
        title={`Change entry #${editing?.id ?? ""}?`}
        confirmLabel="Save and delete rubrics"
        pending={save.isPending}
        onCancel={() => setConfirming(false)}
        onConfirm={() => save.mutate()}
      >
        Its rubrics and actions were written for the old use case and skills: they are deleted, and the next
        run writes new ones. This cannot be undone.
      </ConfirmDialog>
    </form>
  );
}

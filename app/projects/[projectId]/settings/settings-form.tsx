"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Textarea } from "@/components/ui/field";
import { METHOD_SETTING_SPECS, type MethodSettingKey } from "@/lib/codeclm/settings";
import { actionFieldErrors, fieldErrorsOf, type FieldErrors } from "@/lib/schemas/form-errors";
import {
  defaultSettingsFormValues,
  projectSettingsInputSchema,
  type MethodSettingsFormValues,
} from "@/lib/schemas/project-settings";
import { saveProjectSettingsAction } from "./settings-actions";

interface FormValues {
  name: string;
  taskDescription: string;
  settings: MethodSettingsFormValues;
}

// The parameters in the order the method uses them.
const groups: { title: string; keys: MethodSettingKey[] }[] = [
  { title: "Metadata pool", keys: ["poolSize", "maxSkills"] },
  { title: "Self-Rubrics", keys: ["rubricCount", "actionCount", "maxIterations"] },
  { title: "Contrastive filtering", keys: ["gapThreshold"] },
  { title: "Generation", keys: ["targetDatasetSize", "temperature", "randomSeed"] },
];

function validate(projectId: number, values: FormValues): FieldErrors {
  const parsed = projectSettingsInputSchema.safeParse({ projectId, ...values });
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

function sameNumber(a: string, b: string): boolean {
  return a.trim() !== "" && Number(a) === Number(b);
}

export function SettingsForm({
  projectId,
  saved,
  updatedAt,
}: {
  projectId: number;
  saved: FormValues;
  updatedAt: string;
}) {
  const router = useRouter();
  const [values, setValues] = useState<FormValues>(saved);
  const [showErrors, setShowErrors] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; fields: FieldErrors } | null>(null);

  const errors: FieldErrors = { ...serverError?.fields, ...(showErrors ? validate(projectId, values) : {}) };
  const dirty = JSON.stringify(values) !== JSON.stringify(saved);
  const atDefaults = Object.entries(defaultSettingsFormValues).every(([key, value]) =>
    sameNumber(values.settings[key as MethodSettingKey], value),
  );

  const save = useMutation({
    mutationFn: async () => {
      const result = await saveProjectSettingsAction({ projectId, ...values });
      if (!result.ok) throw Object.assign(new Error(result.error), { fields: actionFieldErrors(result) });
      return result.data;
    },
    onSuccess: () => router.refresh(), // the header shows the name; the page remounts with the stored values
    onError: (error: Error & { fields?: FieldErrors }) =>
      setServerError({ message: error.message, fields: error.fields ?? {} }),
  });

  function edit(next: FormValues) {
    setValues(next);
    setServerError(null);
  }
  const invalid = (key: string) =>
    errors[key] ? { "aria-invalid": true, "aria-describedby": `${key}-error` } : {};

  return (
    <form
      noValidate
      className="max-w-4xl space-y-5"
      onSubmit={(event) => {
        event.preventDefault();
        setShowErrors(true);
        if (Object.keys(validate(projectId, values)).length === 0) save.mutate();
      }}
    >
      <section
        aria-labelledby="project-heading"
        className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4"
      >
        <h2 id="project-heading" className="font-semibold">
          Project
        </h2>
        <Field label="Name" htmlFor="name" error={errors.name}>
          <Input
            id="name"
            value={values.name}
            onChange={(event) => edit({ ...values, name: event.target.value })}
            {...invalid("name")}
          />
        </Field>
        <Field
          label="Downstream task"
          htmlFor="taskDescription"
          error={errors.taskDescription}
          hint="What the tuned model should be good at; a note for you and your team."
        >
          <Textarea
            id="taskDescription"
            rows={3}
            value={values.taskDescription}
            onChange={(event) => edit({ ...values, taskDescription: event.target.value })}
            {...invalid("taskDescription")}
          />
        </Field>
      </section>

      <section
        aria-labelledby="method-heading"
        className="space-y-4 rounded-lg border border-zinc-200 bg-white p-4"
      >
        <div className="flex flex-wrap items-start justify-between gap-2">
          <div>
            <h2 id="method-heading" className="font-semibold">
              Method parameters
            </h2>
            <p className="text-sm text-zinc-600">
              Defaults are the paper&apos;s (CodecLM, App. A.3). A run uses the values it started with;
              changes apply to the next run.
            </p>
          </div>
          <Button
            size="sm"
            disabled={atDefaults}
            onClick={() => edit({ ...values, settings: { ...defaultSettingsFormValues } })}
          >
            Reset to paper defaults
          </Button>
        </div>
        {groups.map((group) => (
          <fieldset key={group.title} className="space-y-3">
            <legend className="text-xs font-semibold tracking-wide text-zinc-500 uppercase">
              {group.title}
            </legend>
            <div className="grid gap-3 md:grid-cols-2">
              {group.keys.map((key) => {
                const spec = METHOD_SETTING_SPECS[key];
                const fieldKey = `settings.${key}`;
                const changed = !sameNumber(values.settings[key], defaultSettingsFormValues[key]);
                return (
                  <Field
                    key={key}
                    label={changed ? `${spec.label} · changed (paper: ${spec.defaultValue})` : spec.label}
                    htmlFor={fieldKey}
                    error={errors[fieldKey]}
                    hint={spec.explanation}
                  >
                    <Input
                      id={fieldKey}
                      inputMode={spec.integer ? "numeric" : "decimal"}
                      value={values.settings[key]}
                      className="max-w-40"
                      onChange={(event) =>
                        edit({ ...values, settings: { ...values.settings, [key]: event.target.value } })
                      }
                      {...invalid(fieldKey)}
                    />
                  </Field>
                );
              })}
            </div>
          </fieldset>
        ))}
      </section>

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={save.isPending || !dirty}>
          {save.isPending ? "Saving…" : "Save settings"}
        </Button>
        {dirty ? (
          <Button variant="ghost" onClick={() => edit(saved)}>
            Discard changes
          </Button>
        ) : null}
        <span className="text-xs text-zinc-500" aria-live="polite" suppressHydrationWarning>
          {dirty ? "Unsaved changes" : `Saved ${new Date(updatedAt).toLocaleString()}`}
        </span>
      </div>
      {serverError && Object.keys(serverError.fields).length === 0 ? (
        <p role="alert" className="text-sm text-red-600">
          {serverError.message}
        </p>
      ) : null}
    </form>
  );
}

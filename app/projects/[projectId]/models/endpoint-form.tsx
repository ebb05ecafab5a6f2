"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import type { ActionResult } from "@/lib/errors";
import type { ConnectionCheck } from "@/lib/llm/test-connection";
import {
  endpointFormDefaults,
  endpointInputSchema,
  type EndpointFormValues,
  type EndpointRoleName,
} from "@/lib/schemas/endpoint";
import {
  actionFieldErrors,
  fieldErrorsOf,
  fieldErrorsUnder,
  type FieldErrors,
} from "@/lib/schemas/form-errors";
import { applyPreset, endpointPresets } from "@/lib/schemas/endpoint-presets";
import { ConnectionResult } from "./connection-result";
import { saveEndpointAction, testEndpointAction } from "./endpoint-actions";
import type { EndpointView } from "./endpoint-view";

type TextField = Exclude<
  keyof EndpointFormValues,
  "role" | "structuredOutputMode" | "tokenLimitParam" | "reasoningEffort"
>;

const numberFields: { name: TextField; label: string; hint: string; step?: string }[] = [
  { name: "maxConcurrency", label: "Concurrency", hint: "Requests in flight at once (1–1024)." },
  {
    name: "requestsPerMinute",
    label: "Requests per minute",
    hint: "Blank: no limit. Set your provider's tier limit.",
  },
  { name: "tokensPerMinute", label: "Tokens per minute", hint: "Blank: no limit." },
  { name: "maxTokens", label: "Max tokens per answer", hint: "Paper: 2048." },
  {
    name: "temperature",
    label: "Temperature",
    hint: "0–2, for calls that set none; blank: server default.",
    step: "0.1",
  },
  { name: "timeoutMs", label: "Timeout (ms)", hint: "Per request; 120000 = 2 minutes." },
  {
    name: "priceInputPerMTok",
    label: "Input price ($ / 1M tokens)",
    hint: "For the cost shown on the dashboard.",
    step: "0.01",
  },
  {
    name: "priceOutputPerMTok",
    label: "Output price ($ / 1M tokens)",
    hint: "0 for a local server.",
    step: "0.01",
  },
];

function validate(values: EndpointFormValues): FieldErrors {
  const parsed = endpointInputSchema.safeParse(values);
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

async function unwrap<T>(promise: Promise<ActionResult<T>>): Promise<T> {
  const result = await promise;
  // The actions take { projectId, endpoint }: their field errors are keyed "endpoint.<field>".
  if (!result.ok)
    throw Object.assign(new Error(result.error), {
      fieldErrors: fieldErrorsUnder(actionFieldErrors(result), "endpoint"),
    });
  return result.data;
}

export function EndpointForm({
  projectId,
  role,
  saved,
  strongValues,
  onSaved,
  onRemove,
}: {
  projectId: number;
  role: EndpointRoleName;
  saved: EndpointView | null;
  /** The saved strong endpoint, offered as a starting point for the others. */
  strongValues: EndpointFormValues | null;
  onSaved: () => void;
  onRemove?: () => void;
}) {
  const [values, setValues] = useState<EndpointFormValues>(
    saved?.values ?? { role, ...endpointFormDefaults },
  );
  const [showErrors, setShowErrors] = useState(false);
  const [serverErrors, setServerErrors] = useState<FieldErrors>({});
  const [check, setCheck] = useState<ConnectionCheck | null>(null);
  const [presetId, setPresetId] = useState("");
  const preset = endpointPresets.find((entry) => entry.id === presetId);

  const clientErrors = showErrors ? validate(values) : {};
  const errors: FieldErrors = { ...serverErrors, ...clientErrors };
  const dirty = saved ? JSON.stringify(saved.values) !== JSON.stringify(values) : true;

  function set<K extends keyof EndpointFormValues>(name: K, value: EndpointFormValues[K]) {
    setValues((current) => ({ ...current, [name]: value }));
    setServerErrors(({ [name]: _cleared, ...rest }) => rest);
    setCheck(null);
  }

  /** Shows the field errors and stops when the form is invalid. */
  function readyToSend(): boolean {
    setShowErrors(true);
    return Object.keys(validate(values)).length === 0;
  }

  const save = useMutation({
    mutationFn: () => unwrap(saveEndpointAction({ projectId, endpoint: values })),
    onSuccess: onSaved,
    onError: (error: Error & { fieldErrors?: FieldErrors }) => setServerErrors(error.fieldErrors ?? {}),
  });
  const test = useMutation({
    mutationFn: () => unwrap(testEndpointAction({ projectId, endpoint: values })),
    onMutate: () => setCheck(null),
    onSuccess: setCheck,
    onError: (error: Error & { fieldErrors?: FieldErrors }) => setServerErrors(error.fieldErrors ?? {}),
  });

  const id = (name: string) => `${role}-${name}`;
  const invalid = (name: string) =>
    errors[name] ? { "aria-invalid": true, "aria-describedby": `${id(name)}-error` } : {};
  const savedKeyName = saved?.values.apiKeyEnv ?? "";
  const keyHint =
    values.apiKeyEnv.trim() === "" ? (
      "Blank for servers without a key (Ollama, vLLM, llama.cpp). The key is read on the server, never stored."
    ) : values.apiKeyEnv.trim() === savedKeyName && saved?.apiKeySet !== null ? (
      saved?.apiKeySet ? (
        <span className="text-emerald-700">✓ {savedKeyName} is set in the server&apos;s environment.</span>
      ) : (
        <span className="text-amber-700">
          {savedKeyName} is not set on the server: export it before starting the app.
        </span>
      )
    ) : (
      "The name of the environment variable holding the key, not the key."
    );

  return (
    <form
      noValidate
      aria-label={`${role} endpoint`}
      className="space-y-4"
      onSubmit={(event) => {
        event.preventDefault();
        if (readyToSend()) save.mutate();
      }}
    >
      {!saved && strongValues && role !== "strong" ? (
        <Button size="sm" variant="ghost" onClick={() => setValues({ ...strongValues, role, model: "" })}>
          Start from the strong model&apos;s server settings
        </Button>
      ) : null}
      <Field
        label="Provider preset"
        htmlFor={id("preset")}
        hint={
          preset
            ? preset.note
            : "Fills the base URL, key variable and structured-output mode; all stay editable."
        }
      >
        <Select
          id={id("preset")}
          value={presetId}
          onChange={(event) => {
            setPresetId(event.target.value);
            setValues((current) => applyPreset(current, event.target.value));
            setCheck(null);
          }}
        >
          <option value="">Choose a provider…</option>
          {endpointPresets.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.label}
            </option>
          ))}
        </Select>
      </Field>
      <div className="grid gap-3 md:grid-cols-2">
        <Field
          label="Base URL"
          htmlFor={id("baseUrl")}
          error={errors.baseUrl}
          hint="OpenAI-compatible, usually ending in /v1."
        >
          <Input
            id={id("baseUrl")}
            value={values.baseUrl}
            placeholder="https://api.openai.com/v1"
            onChange={(event) => set("baseUrl", event.target.value)}
            {...invalid("baseUrl")}
          />
        </Field>
        <Field
          label="Model"
          htmlFor={id("model")}
          error={errors.model}
          hint="The name the server knows it by."
        >
          <Input
            id={id("model")}
            value={values.model}
            placeholder="gpt-4o-mini"
            onChange={(event) => set("model", event.target.value)}
            {...invalid("model")}
          />
        </Field>
        <Field
          label="API key environment variable"
          htmlFor={id("apiKeyEnv")}
          error={errors.apiKeyEnv}
          hint={keyHint}
        >
          <Input
            id={id("apiKeyEnv")}
            value={values.apiKeyEnv}
            placeholder="OPENAI_API_KEY"
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => set("apiKeyEnv", event.target.value)}
            {...invalid("apiKeyEnv")}
          />
        </Field>
        <Field
          label="Structured output"
          htmlFor={id("structuredOutputMode")}
          error={errors.structuredOutputMode}
          hint="json_schema when the server supports response_format; otherwise json_in_text."
        >
          <Select
            id={id("structuredOutputMode")}
            value={values.structuredOutputMode}
            onChange={(event) => set("structuredOutputMode", event.target.value)}
          >
            <option value="json_schema">json_schema (response_format)</option>
            <option value="json_in_text">json_in_text (parsed from the answer)</option>
          </Select>
        </Field>
        <Field
          label="Token-limit parameter"
          htmlFor={id("tokenLimitParam")}
          error={errors.tokenLimitParam}
          hint="auto: max_completion_tokens for reasoning models (o-series, gpt-5), else max_tokens; a refusal is adapted to."
        >
          <Select
            id={id("tokenLimitParam")}
            value={values.tokenLimitParam}
            onChange={(event) => set("tokenLimitParam", event.target.value)}
          >
            <option value="auto">auto</option>
            <option value="max_tokens">max_tokens</option>
            <option value="max_completion_tokens">max_completion_tokens</option>
          </Select>
        </Field>
        <Field
          label="Reasoning effort"
          htmlFor={id("reasoningEffort")}
          error={errors.reasoningEffort}
          hint="Sent as reasoning_effort to reasoning models; none sends nothing."
        >
          <Select
            id={id("reasoningEffort")}
            value={values.reasoningEffort}
            onChange={(event) => set("reasoningEffort", event.target.value)}
          >
            <option value="">none</option>
            <option value="minimal">minimal</option>
            <option value="low">low</option>
            <option value="medium">medium</option>
            <option value="high">high</option>
          </Select>
        </Field>
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        {numberFields.map((field) => (
          <Field
            key={field.name}
            label={field.label}
            htmlFor={id(field.name)}
            error={errors[field.name]}
            hint={field.hint}
          >
            <Input
              id={id(field.name)}
              inputMode="decimal"
              value={values[field.name]}
              onChange={(event) => set(field.name, event.target.value)}
              {...invalid(field.name)}
            />
          </Field>
        ))}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" variant="primary" disabled={save.isPending || (!dirty && !!saved)}>
          {save.isPending ? "Saving…" : saved ? "Save changes" : "Save"}
        </Button>
        <Button onClick={() => readyToSend() && test.mutate()} disabled={test.isPending}>
          {test.isPending ? "Testing…" : "Test connection"}
        </Button>
        {onRemove ? (
          <Button variant="ghost" onClick={onRemove}>
            Remove judge
          </Button>
        ) : null}
        <span className="text-xs text-zinc-500" aria-live="polite" suppressHydrationWarning>
          {saved && !dirty
            ? `Saved ${new Date(saved.updatedAt).toLocaleString()}`
            : saved
              ? "Unsaved changes"
              : "Not saved yet"}
        </span>
      </div>
      {save.error && Object.keys(serverErrors).length === 0 ? (
        <p role="alert" className="text-sm text-red-600">
          {save.error.message}
        </p>
      ) : null}
      {test.error && Object.keys(serverErrors).length === 0 ? (
        <p role="alert" className="text-sm text-red-600">
          {test.error.message}
        </p>
      ) : null}
      {check ? (
        <ConnectionResult
          check={check}
          mode={values.structuredOutputMode}
          onUseJsonInText={() => set("structuredOutputMode", "json_in_text")}
        />
      ) : null}
    </form>
  );
}

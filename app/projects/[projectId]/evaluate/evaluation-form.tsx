"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { queryKeys } from "@/lib/client/api";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { startEvaluationSchema, type EndpointChoice } from "@/lib/schemas/evaluation";
import { startEvaluationAction } from "./evaluate-actions";
import { unwrapAction as unwrap } from "@/lib/errors";
import { type EndpointOption, type EvalSetView } from "./evaluate-client";

interface ChoiceState {
  /** "project:strong" etc., "custom", or "reference" (judge only). */
  pick: string;
  baseUrl: string;
  model: string;
  apiKeyEnv: string;
}

function toChoice(state: ChoiceState): EndpointChoice | null {
  if (state.pick === "reference") return null;
  if (state.pick === "custom")
    return { source: "custom", baseUrl: state.baseUrl, model: state.model, apiKeyEnv: state.apiKeyEnv };
  return { source: "project", role: state.pick.replace("project:", "") as "strong" | "target" | "judge" };
}

function initialChoice(endpoints: EndpointOption[], role: "strong" | "target" | null): ChoiceState {
  const base = { baseUrl: "", model: "", apiKeyEnv: "" };
  if (role === null) return { pick: "reference", ...base };
  return {
    pick: endpoints.some((endpoint) => endpoint.role === role) ? `project:${role}` : "custom",
    ...base,
  };
}

function EndpointChoiceField({
  label,
  hint,
  state,
  onChange,
  endpoints,
  withReference,
}: {
  label: string;
  hint: string;
  state: ChoiceState;
  onChange: (state: ChoiceState) => void;
  endpoints: EndpointOption[];
  withReference?: boolean;
}) {
  const ids = useId();
  return (
    <fieldset className="space-y-2 rounded-md border border-zinc-100 p-2">
      <Field label={label} htmlFor={`${ids}-pick`} hint={hint}>
        <Select
          id={`${ids}-pick`}
          value={state.pick}
          onChange={(event) => onChange({ ...state, pick: event.target.value })}
        >
          {withReference ? <option value="reference">The reference model</option> : null}
          {endpoints.map((endpoint) => (
            <option key={endpoint.role} value={`project:${endpoint.role}`}>
              Project {endpoint.role}: {endpoint.label}
            </option>
          ))}
          <option value="custom">Another endpoint…</option>
        </Select>
      </Field>
      {state.pick === "custom" ? (
        <div className="grid gap-2">
          <Field label={`${label} base URL`} htmlFor={`${ids}-url`}>
            <Input
              id={`${ids}-url`}
              value={state.baseUrl}
              placeholder="http://127.0.0.1:8000/v1"
              onChange={(event) => onChange({ ...state, baseUrl: event.target.value })}
            />
          </Field>
          <Field label={`${label} model`} htmlFor={`${ids}-model`}>
            <Input
              id={`${ids}-model`}
              value={state.model}
              placeholder="my-finetuned-model"
              onChange={(event) => onChange({ ...state, model: event.target.value })}
            />
          </Field>
          <Field label={`${label} API key variable (optional)`} htmlFor={`${ids}-key`}>
            <Input
              id={`${ids}-key`}
              value={state.apiKeyEnv}
              placeholder="OPENAI_API_KEY"
              onChange={(event) => onChange({ ...state, apiKeyEnv: event.target.value })}
            />
          </Field>
        </div>
      ) : null}
    </fieldset>
  );
}

export function EvaluationForm({
  projectId,
  sets,
  endpoints,
  onStarted,
}: {
  projectId: number;
  sets: EvalSetView[];
  endpoints: EndpointOption[];
  onStarted: (evaluationId: number) => void;
}) {
  const ids = useId();
  const queryClient = useQueryClient();
  const [setId, setSetId] = useState<number | null>(null);
  const [name, setName] = useState("");
  const [target, setTarget] = useState(() => initialChoice(endpoints, "target"));
  const [reference, setReference] = useState(() => initialChoice(endpoints, "strong"));
  const [judge, setJudge] = useState(() => initialChoice(endpoints, null));
  const [problem, setProblem] = useState<string | null>(null);
  const chosenSet = setId ?? sets[sets.length - 1]?.id ?? null;
  const start = useMutation({
    mutationKey: queryKeys.evaluationStart(projectId),
    mutationFn: (input: unknown) => unwrap(startEvaluationAction(input)),
    onSuccess: ({ evaluationId }) => {
      setName("");
      void queryClient.invalidateQueries({ queryKey: queryKeys.evaluationList(projectId) });
      void queryClient.invalidateQueries({ queryKey: queryKeys.evalSets(projectId) });
      onStarted(evaluationId);
    },
  });

  const submit = () => {
    const input = {
      projectId,
      setId: chosenSet,
      name: name.trim() || undefined,
      target: toChoice(target),
      reference: toChoice(reference),
      judge: toChoice(judge),
    };
    const checked = startEvaluationSchema.safeParse(input);
    if (!checked.success) {
      setProblem(
        checked.error.issues
          .map((issue) => `${issue.path.join(" ") || "input"}: ${issue.message}`)
          .join("; "),
      );
      return;
    }
    setProblem(null);
    start.mutate(input);
  };

  return (
    <section aria-label="New evaluation" className="space-y-3 rounded-lg border border-zinc-200 bg-white p-4">
      <h2 className="font-semibold">New evaluation</h2>
      <p className="text-xs text-zinc-500">
        Both models answer every instruction; the judge scores each pair in both orders at temperature 0. The
        target wins only if it wins both times and loses only if it loses both; CRR = (wins + ties) / total.
      </p>
      <Field label="Evaluation set" htmlFor={`${ids}-set`}>
        <Select
          id={`${ids}-set`}
          value={chosenSet ?? ""}
          onChange={(event) => setSetId(Number(event.target.value))}
          disabled={sets.length === 0}
        >
          {sets.length === 0 ? <option value="">Add an evaluation set first</option> : null}
          {sets.map((set) => (
            <option key={set.id} value={set.id}>
              {set.name} ({set.instructionCount})
            </option>
          ))}
        </Select>
      </Field>
      <EndpointChoiceField
        label="Target"
        hint="The model to measure, e.g. yours fine-tuned on this project's export."
        state={target}
        onChange={setTarget}
        endpoints={endpoints}
      />
      <EndpointChoiceField
        label="Reference"
        hint="Usually the strong model that made the data."
        state={reference}
        onChange={setReference}
        endpoints={endpoints}
      />
      <EndpointChoiceField
        label="Judge"
        hint="Compares the two answers (Fig. 12 prompt)."
        state={judge}
        onChange={setJudge}
        endpoints={endpoints}
        withReference
      />
      <Field label="Name (optional)" htmlFor={`${ids}-name`}>
        <Input
          id={`${ids}-name`}
          value={name}
          placeholder="target vs reference on set"
          onChange={(event) => setName(event.target.value)}
        />
      </Field>
      <Button variant="primary" onClick={submit} disabled={start.isPending || chosenSet === null}>
        {start.isPending ? "Starting…" : "Start evaluation"}
      </Button>
      {problem || start.error ? (
        <p role="alert" className="text-xs text-red-600">
          {problem ?? start.error?.message}
        </p>
      ) : null}
    </section>
  );
}

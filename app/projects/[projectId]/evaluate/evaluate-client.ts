// What the Evaluate page's client components share: the JSON shapes its routes return and small formatting.
// Types only from lib: nothing server-side reaches the browser bundle.
import type { EvalSetRow } from "@/lib/db/eval-sets";
import type { EvaluationRow } from "@/lib/db/evaluations";

/** Dates arrive as ISO strings. */
type Jsonified<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K];
};

export type EvalSetView = Jsonified<EvalSetRow>;
export type EvaluationListItem = Jsonified<Omit<EvaluationRow, "configSnapshot">> & {
  setName: string;
  instructionCount: number;
};

export interface EndpointOption {
  role: "strong" | "target" | "judge";
  label: string;
}

export interface PublicSetView {
  name: string;
  title: string;
  description: string;
  count: number;
  license: string;
  notice: string;
  origin: string;
  available: boolean;
}

export const liveStates = new Set(["queued", "running"]);

export const number = (value: number) => value.toLocaleString("en-US");

export const stateStyle: Record<string, string> = {
  queued: "bg-zinc-100 text-zinc-700",
  running: "bg-indigo-100 text-indigo-800",
  cancelled: "bg-zinc-200 text-zinc-700",
  completed: "bg-emerald-100 text-emerald-800",
  failed: "bg-red-100 text-red-800",
};

export const outcomeStyle: Record<string, string> = {
  win: "bg-emerald-100 text-emerald-800",
  tie: "bg-sky-100 text-sky-800",
  loss: "bg-rose-100 text-rose-800",
  failed: "bg-red-50 text-red-700",
  pending: "bg-zinc-100 text-zinc-500",
};

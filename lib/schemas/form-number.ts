// Numbers typed into forms: the same schema checks the form's strings in the browser and in the server action.
import { z } from "zod";

export interface NumberFieldOptions {
  /** Lower-case noun phrase for "Enter …" ("the concurrency"). */
  label: string;
  min: number;
  max: number;
  integer: boolean;
}

/** "" and whitespace → undefined; numeric strings → numbers (NaN when not numeric); anything else as is. */
export function formNumber(value: unknown): unknown {
  if (typeof value !== "string") return value ?? undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : Number(trimmed);
}

function numberField(options: NumberFieldOptions) {
  const range = `from ${options.min.toLocaleString("en-US")} to ${options.max.toLocaleString("en-US")}`;
  let base = z.number({
    error: (issue) => (issue.input === undefined ? `Enter ${options.label}` : `Enter a number ${range}`),
  });
  if (options.integer) base = base.int(`Use a whole number ${range}`);
  return base.min(options.min, `Use a number ${range}`).max(options.max, `Use a number ${range}`);
}

export function requiredNumber(options: NumberFieldOptions) {
  return z.preprocess(formNumber, numberField(options));
}

/** Blank → null. */
export function optionalNumber(options: NumberFieldOptions) {
  return z.preprocess((value) => formNumber(value) ?? null, numberField(options).nullable());
}

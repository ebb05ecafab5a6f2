// Field errors shared by forms and server actions: the form validates with the same schema before sending, and
// the action's AppError carries the same { field: message } map so either way the message lands next to the field.
import type { z } from "zod";
import { AppError, type ActionResult } from "@/lib/errors";

/** First message per field, keyed by the dotted path ("settings.poolSize"); form-level issues under "". */
export type FieldErrors = Record<string, string>;

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join(".");
    errors[key] ??= issue.message;
  }
  return errors;
}

/** The parsed input, or an invalid_input AppError whose details hold the field errors. */
export function parseInputOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fieldErrors = fieldErrorsOf(parsed.error);
  const summary = [...new Set(Object.values(fieldErrors))].join("; ");
  throw new AppError("invalid_input", summary || "Invalid input", { fieldErrors });
}

/** The field errors a failed action sent back (empty when it failed for another reason). */
export function actionFieldErrors(result: ActionResult<unknown>): FieldErrors {
  if (result.ok) return {};
  const details = result.details as { fieldErrors?: unknown } | undefined;
  const fieldErrors = details?.fieldErrors;
  if (!fieldErrors || typeof fieldErrors !== "object") return {};
  const errors: FieldErrors = {};
  for (const [key, value] of Object.entries(fieldErrors)) {
    const message: unknown = Array.isArray(value) ? value[0] : value;
    if (typeof message === "string") errors[key] = message;
  }
  return errors;
}

/** The errors of a nested object, keyed relative to it ("endpoint.model" → "model"). */
export function fieldErrorsUnder(errors: FieldErrors, prefix: string): FieldErrors {
  const nested: FieldErrors = {};
  for (const [key, message] of Object.entries(errors)) {
    if (key.startsWith(`${prefix}.`)) nested[key.slice(prefix.length + 1)] = message;
  }
  return nested;
}

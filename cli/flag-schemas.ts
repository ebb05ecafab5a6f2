// Flag schemas shared by the CLI's commands: each failure is a one-line message naming the flag.
import { z } from "zod";
import { keyVariableProblem } from "@/lib/env";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const urlFlag = (flag: string) =>
  z
    .string({ error: `${flag} is required` })
    .trim()
    .refine((value) => /^https?:\/\/\S+$/.test(value), {
      message: `${flag} must be an http(s) URL, e.g. http://127.0.0.1:8000/v1`,
    });

export const textFlag = (flag: string) =>
  z
    .string({ error: `${flag} is required` })
    .trim()
    .min(1, `${flag} must not be empty`);

/** A key variable name flag, checked against the app's allow-list (CODECLM_KEY_VARS). */
export function keyEnvFlag(flag: string) {
  return z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, `${flag} must be an environment variable name, e.g. OPENAI_API_KEY`)
    .superRefine((value, context) => {
      // The same allow-list as the app (CODECLM_KEY_VARS): the key variable's value is sent to the URL given.
      const problem = keyVariableProblem(value);
      if (problem) context.addIssue({ code: "custom", message: `${flag}: ${problem}` });
    })
    .optional();
}

export const apiKeyEnvFlag = keyEnvFlag("--api-key-env");

/** An optional number flag within bounds (whole when `integer`). */
export function numberFlag(flag: string, spec: { min: number; max: number; integer: boolean }) {
  return z
    .string()
    .optional()
    .transform((value, context) => {
      if (value === undefined) return undefined;
      const number = Number(value);
      const kind = spec.integer ? "a whole number" : "a number";
      if (
        value.trim() === "" ||
        !Number.isFinite(number) ||
        (spec.integer && !Number.isInteger(number)) ||
        number < spec.min ||
        number > spec.max
      ) {
        context.addIssue({
          code: "custom",
          message: `${flag} must be ${kind} from ${spec.min} to ${spec.max}, got "${value}"`,
        });
        return z.NEVER;
      }
      return number;
    });
}

// The boundary check for an endpoint's key variable: saving an endpoint, testing a connection or starting an
// evaluation with a typed-in endpoint refuses any variable outside the operator's allow-list (CODECLM_KEY_VARS),
// so nobody can make the server send DATABASE_URL (or any other secret) as a Bearer token to a URL of their choice.
import { keyVariableProblem } from "@/lib/env";
import { AppError } from "@/lib/errors";

/** Throws an invalid_input AppError whose field error sits on `field` (the form's dotted path). */
export function assertAllowedKeyVariable(variableName: string | null | undefined, field: string): void {
  if (!variableName) return;
  const problem = keyVariableProblem(variableName);
  if (problem) throw new AppError("invalid_input", problem, { fieldErrors: { [field]: problem } });
}

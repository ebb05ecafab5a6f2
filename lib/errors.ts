// Typed errors with a user-safe message. Boundaries (server actions, route handlers, the CLI) turn them into
// responses; anything else becomes a generic message, and its details stay in the server log.
export type AppErrorCode = "not_found" | "invalid_input" | "conflict" | "unavailable" | "internal";

export class AppError extends Error {
  constructor(
    readonly code: AppErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export type ActionResult<T> =
  | { ok: true; data: T }
  | {
      ok: false;
      error: string;
      code: AppErrorCode;
      fieldErrors?: Record<string, string[]>;
      details?: unknown;
    };

export function errorResult(error: unknown): Extract<ActionResult<never>, { ok: false }> {
  if (error instanceof AppError)
    return { ok: false, error: error.message, code: error.code, details: error.details };
  console.error(error);
  return {
    ok: false,
    error: "Something went wrong on the server; the details are in its log.",
    code: "internal",
  };
}

/** Runs a server action body and returns a typed result instead of throwing across the boundary. */
export async function runAction<T>(body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (error) {
    return errorResult(error);
  }
}

/** For React Query mutations: a server action's data, or its user-safe message thrown as an Error. */
export async function unwrapAction<T>(result: ActionResult<T> | Promise<ActionResult<T>>): Promise<T> {
  const settled = await result;
  if (!settled.ok) throw new Error(settled.error);
  return settled.data;
}

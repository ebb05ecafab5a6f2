// The one place where API routes turn errors and bad input into responses; internal details stay in the log.
import { NextResponse } from "next/server";
import { AppError, type AppErrorCode } from "@/lib/errors";

const statuses: Record<AppErrorCode, number> = {
  not_found: 404,
  invalid_input: 400,
  conflict: 409,
  unavailable: 503,
  internal: 500,
};

export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AppError)
    return NextResponse.json({ error: error.message }, { status: statuses[error.code] });
  console.error(error);
  return NextResponse.json(
    { error: "Something went wrong on the server; the details are in its log." },
    { status: 500 },
  );
}

/** 400 with one message, or with a message per field (also joined into one message). */
export function badRequest(problem: string | Record<string, string>): NextResponse {
  if (typeof problem === "string") return NextResponse.json({ error: problem }, { status: 400 });
  const message = Object.entries(problem)
    .map(([field, error]) => `${field}: ${error}`)
    .join("; ");
  return NextResponse.json({ error: message, fieldErrors: problem }, { status: 400 });
}

/** A positive integer id from a path segment or query parameter, or undefined. */
export function parseId(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const id = Number(value);
  return /^\d+$/.test(value) && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

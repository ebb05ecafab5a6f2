import { NextResponse } from "next/server";
import { getPool } from "@/lib/db/client";
import { listEvaluations } from "@/lib/db/evaluations";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** The project's evaluations with their final figures, newest first (polled by the Evaluate page). */
export async function GET(_request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const projectId = parseId((await params).projectId);
  if (projectId === undefined) return badRequest("projectId must be a positive integer");
  try {
    const rows = await listEvaluations(getPool(), projectId);
    return NextResponse.json(rows.map(({ configSnapshot: _config, ...row }) => row));
  } catch (error) {
    return errorResponse(error);
  }
}

import { NextResponse } from "next/server";
import { getPool } from "@/lib/db/client";
import { listEvalSets } from "@/lib/db/eval-sets";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** The project's evaluation sets, each with how many of its instructions are also seeds of the project. */
export async function GET(_request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const projectId = parseId((await params).projectId);
  if (projectId === undefined) return badRequest("projectId must be a positive integer");
  try {
    return NextResponse.json(await listEvalSets(getPool(), projectId));
  } catch (error) {
    return errorResponse(error);
  }
}

import { NextResponse, type NextRequest } from "next/server";
import { getPool } from "@/lib/db/client";
import { compareEvaluations } from "@/lib/evaluation/compare";
import { compareIdsSchema } from "@/lib/schemas/evaluation";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** Evaluations side by side: ?ids=3,5 (the first is the baseline of the CRR differences). */
export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const projectId = parseId((await params).projectId);
  if (projectId === undefined) return badRequest("projectId must be a positive integer");
  const ids = compareIdsSchema.safeParse(request.nextUrl.searchParams.get("ids") ?? "");
  if (!ids.success)
    return badRequest(ids.error.issues[0]?.message ?? "ids must be evaluation ids separated by commas");
  try {
    return NextResponse.json(await compareEvaluations(getPool(), projectId, ids.data));
  } catch (error) {
    return errorResponse(error);
  }
}

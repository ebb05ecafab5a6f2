import { NextResponse, type NextRequest } from "next/server";
import { getPool } from "@/lib/db/client";
import { drillDownInstruction } from "@/lib/evaluation/compare";
import { compareIdsSchema } from "@/lib/schemas/evaluation";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** One instruction in each evaluation (?ids=3,5&instructionId=17): both answers and both orders' scores. */
export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const projectId = parseId((await params).projectId);
  if (projectId === undefined) return badRequest("projectId must be a positive integer");
  const ids = compareIdsSchema.safeParse(request.nextUrl.searchParams.get("ids") ?? "");
  const instructionId = parseId(request.nextUrl.searchParams.get("instructionId"));
  if (!ids.success || instructionId === undefined)
    return badRequest("ids (evaluation ids) and instructionId are required");
  try {
    return NextResponse.json(await drillDownInstruction(getPool(), projectId, ids.data, instructionId));
  } catch (error) {
    return errorResponse(error);
  }
}

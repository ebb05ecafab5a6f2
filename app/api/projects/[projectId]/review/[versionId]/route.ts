import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { getReviewDetail } from "@/lib/db/review";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** One version with its evolution, answers, judgement, metadata, rubric set and review history. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ projectId: string; versionId: string }> },
) {
  const raw = await params;
  const projectId = parseId(raw.projectId);
  const versionId = parseId(raw.versionId);
  if (projectId === undefined || versionId === undefined) {
    return badRequest({
      [projectId === undefined ? "projectId" : "versionId"]: "must be a positive integer",
    });
  }
  try {
    return NextResponse.json(await getReviewDetail(getDb(), { projectId, versionId }));
  } catch (error) {
    return errorResponse(error);
  }
}

import { NextResponse } from "next/server";
import { getPool } from "@/lib/db/client";
import { getEvaluationDetail } from "@/lib/evaluation/progress";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** An evaluation's live progress and figures, polled while it runs. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ projectId: string; evaluationId: string }> },
) {
  const { projectId, evaluationId } = await params;
  const project = parseId(projectId);
  const evaluation = parseId(evaluationId);
  if (project === undefined || evaluation === undefined)
    return badRequest("projectId and evaluationId must be positive integers");
  try {
    return NextResponse.json(await getEvaluationDetail(getPool(), project, evaluation));
  } catch (error) {
    return errorResponse(error);
  }
}

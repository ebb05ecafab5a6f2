import { NextResponse } from "next/server";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";
import { getRunProgress } from "@/lib/pipeline/progress";

export const dynamic = "force-dynamic";

/** A run's live progress, polled by the Run page while the run is active (a run of another project: 404). */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ projectId: string; runId: string }> },
) {
  const { projectId, runId } = await params;
  const ids = { projectId: parseId(projectId), runId: parseId(runId) };
  if (ids.projectId === undefined || ids.runId === undefined)
    return badRequest("Project and run ids are positive integers");
  try {
    return NextResponse.json(await getRunProgress(ids.runId, { projectId: ids.projectId }));
  } catch (error) {
    return errorResponse(error);
  }
}

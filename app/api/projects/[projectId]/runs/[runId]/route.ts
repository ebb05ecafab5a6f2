import { NextResponse } from "next/server";
import { getPool } from "@/lib/db/client";
import { findRun } from "@/lib/db/runs";
import { getRunProgress } from "@/lib/pipeline/progress";

export const dynamic = "force-dynamic";

/** A run's live progress, polled by the Run page while the run is active. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ projectId: string; runId: string }> },
) {
  const { projectId, runId } = await params;
  const run = await findRun(getPool(), Number(runId));
  if (!run || run.projectId !== Number(projectId))
    return NextResponse.json({ error: "No such run in this project" }, { status: 404 });
  return NextResponse.json(await getRunProgress(run.id));
}

import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { listRuns } from "@/lib/db/runs";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  if (!Number.isInteger(projectId) || projectId <= 0)
    return NextResponse.json({ error: "bad project id" }, { status: 400 });
  return NextResponse.json(await listRuns(getDb(), projectId));
}

import { NextResponse } from "next/server";
import { toEndpointView } from "@/app/projects/[projectId]/models/endpoint-view";
import { getDb } from "@/lib/db/client";
import { listEndpoints } from "@/lib/db/endpoints";
import { projectIdSchema } from "@/lib/schemas/project";

export const dynamic = "force-dynamic";

export async function GET(_request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const parsed = projectIdSchema.safeParse({ projectId: (await params).projectId });
  if (!parsed.success)
    return NextResponse.json({ error: "projectId: must be a positive integer" }, { status: 400 });
  const rows = await listEndpoints(getDb(), parsed.data.projectId);
  return NextResponse.json(rows.map(toEndpointView));
}

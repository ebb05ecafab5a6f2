import { NextResponse } from "next/server";
import { toExportView } from "@/app/projects/[projectId]/export/export-view";
import { getDb } from "@/lib/db/client";
import { listExports } from "@/lib/db/exports";
import { projectIdSchema } from "@/lib/schemas/project";
import { badRequest, errorResponse } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** The project's past exports, newest first. */
export async function GET(_request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const parsed = projectIdSchema.safeParse({ projectId: (await params).projectId });
  if (!parsed.success) return badRequest("projectId: must be a positive integer");
  try {
    const exports = await listExports(getDb(), { projectId: parsed.data.projectId });
    return NextResponse.json(exports.map(toExportView));
  } catch (error) {
    return errorResponse(error);
  }
}

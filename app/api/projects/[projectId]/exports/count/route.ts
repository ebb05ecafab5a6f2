import { NextResponse, type NextRequest } from "next/server";
import { parseExportQuery } from "@/app/projects/[projectId]/export/export-form-values";
import { getPool } from "@/lib/db/client";
import { countExportRecords } from "@/lib/db/exports";
import { exportFilterSchema } from "@/lib/schemas/export";
import { projectIdSchema } from "@/lib/schemas/project";
import { badRequest, errorResponse } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/**
 * How many records an export with this filter would hold (the export page's live count). The filter uses the
 * review list's URL parameters (gapMin, gapMax, iteration, run, useCase, skill, decision, q) plus onlyAccepted.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const project = projectIdSchema.safeParse({ projectId: (await params).projectId });
  if (!project.success) return badRequest("projectId: must be a positive integer");
  const query = parseExportQuery(request.nextUrl.searchParams);
  const filter = exportFilterSchema.safeParse(query.filter);
  const problems = Object.entries(query.errors).map(([name, message]) => `${name}: ${message}`);
  if (!filter.success)
    problems.push(...filter.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`));
  if (problems.length > 0) return badRequest(problems.join("; "));
  try {
    const count = await countExportRecords(getPool(), {
      projectId: project.data.projectId,
      filter: filter.data!,
      options: { onlyAccepted: query.onlyAccepted },
    });
    return NextResponse.json({ count });
  } catch (error) {
    return errorResponse(error);
  }
}

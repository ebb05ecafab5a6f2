import { getPool } from "@/lib/db/client";
import { buildEvaluationReport } from "@/lib/evaluation/report";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** The evaluation as one JSON document (the same as the CLI's --out), as a download. */
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
    const report = await buildEvaluationReport(getPool(), project, evaluation);
    return new Response(`${JSON.stringify(report, null, 2)}\n`, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="evaluation-${evaluation}.json"`,
        "Cache-Control": "no-store",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { countMatching } from "@/lib/db/review";
import { parseReviewView } from "@/lib/schemas/review";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/** How many versions match the filter (asked once per filter, not per page). */
export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const projectId = parseId((await params).projectId);
  if (projectId === undefined) return badRequest({ projectId: "must be a positive integer" });
  const { view, errors } = parseReviewView(request.nextUrl.searchParams);
  for (const key of ["sort", "page", "item"]) delete errors[key];
  if (Object.keys(errors).length > 0) return badRequest(errors);
  try {
    return NextResponse.json({ count: await countMatching(getDb(), { projectId, filter: view.filter }) });
  } catch (error) {
    return errorResponse(error);
  }
}

import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { listReviewItems } from "@/lib/db/review";
import { defaultReviewPageSize, maxReviewPageSize, parseReviewView } from "@/lib/schemas/review";
import { badRequest, errorResponse, parseId } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

/**
 * One page of the review list: the page's filter, sort, page and cursor as the page URL has them, plus
 * `pageSize` and `total` (the count the client already has: deep pages are then read from the nearer end).
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const projectId = parseId((await params).projectId);
  if (projectId === undefined) return badRequest({ projectId: "must be a positive integer" });
  const search = request.nextUrl.searchParams;
  const { view, errors } = parseReviewView(search);
  const pageSize = Number(search.get("pageSize") ?? defaultReviewPageSize);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > maxReviewPageSize) {
    errors.pageSize = `Use a whole number from 1 to ${maxReviewPageSize}`;
  }
  const total = search.get("total");
  const totalHint = total === null ? undefined : Number(total);
  if (totalHint !== undefined && (!Number.isInteger(totalHint) || totalHint < 0))
    errors.total = "Use a whole number";
  delete errors.item; // the selected item does not change the page
  if (Object.keys(errors).length > 0) return badRequest(errors);
  try {
    const page = await listReviewItems(getDb(), {
      projectId,
      filter: view.filter,
      sort: view.sort,
      page: view.page,
      cursor: view.cursor ?? null,
      pageSize,
      ...(totalHint !== undefined ? { totalHint } : {}),
    });
    return NextResponse.json(page);
  } catch (error) {
    return errorResponse(error);
  }
}

import { getDb } from "@/lib/db/client";
import { getReviewFacets, listReviewItems } from "@/lib/db/review";
import { parseReviewView } from "@/lib/schemas/review";
import { listRequestParams, reviewPageSize } from "./review-request";
import { ReviewScreen } from "./review-screen";

export const dynamic = "force-dynamic";

export const metadata = { title: "Review" };

export default async function ReviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const projectId = Number((await params).projectId);
  // A mistyped shared link still opens: invalid parameters are left out.
  const { view } = parseReviewView(await searchParams);
  const db = getDb();
  const [facets, firstPage] = await Promise.all([
    getReviewFacets(db, projectId),
    listReviewItems(db, {
      projectId,
      filter: view.filter,
      sort: view.sort,
      page: view.page,
      cursor: view.cursor ?? null,
      pageSize: reviewPageSize,
    }),
  ]);
  return (
    <ReviewScreen
      projectId={projectId}
      facets={facets}
      initialRequest={listRequestParams(view, undefined)}
      initialPage={firstPage}
    />
  );
}

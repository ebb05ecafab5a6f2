// The list request of a review view, shared by the server page (first render) and the client (React Query key).
import { reviewViewParams, type ReviewView } from "@/lib/schemas/review";

export const reviewPageSize = 50;

/** The view's parameters, the page size, and the count once known for pages past the middle (read from the end). */
export function listRequestParams(view: ReviewView, total: number | undefined): string {
  const params = reviewViewParams(view, { withItem: false });
  params.set("pageSize", String(reviewPageSize));
  const offset = (view.page - 1) * reviewPageSize;
  if (!view.cursor && total !== undefined && offset > total / 2) params.set("total", String(total));
  return params.toString();
}

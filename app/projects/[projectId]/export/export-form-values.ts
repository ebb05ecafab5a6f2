// The export form's values (strings, as typed), their validation, and the live-count query string. The count
// route and the page read filters in the review list's URL form, so a review filter can be opened here as is.
import { exportFormSchema, type ExportFilter, type ExportFormValues } from "@/lib/schemas/export";
import { parseReviewView, reviewFilterParams } from "@/lib/schemas/review";

/** The form's starting values; a review filter (from the URL) fills the matching fields. */
export function initialExportFormValues(filter: ExportFilter = {}, onlyAccepted = false): ExportFormValues {
  const text = (value: number | string | undefined) => (value === undefined ? "" : String(value));
  return {
    format: "chat",
    decision:
      onlyAccepted || filter.decision === "accepted"
        ? "accepted"
        : filter.decision === "unreviewed"
          ? "unreviewed"
          : "any",
    gapMin: text(filter.gapMin),
    gapMax: text(filter.gapMax),
    iteration: text(filter.iteration),
    runId: text(filter.runId),
    useCase: text(filter.useCase),
    skill: text(filter.skill),
    search: text(filter.search),
    applyEdits: true,
    includeProvenance: false,
    fullProvenance: false,
  };
}

export function validateExportForm(projectId: number, values: ExportFormValues) {
  return exportFormSchema.safeParse({ projectId, ...values });
}

/** The count route's query string: the review filter's URL form plus onlyAccepted. */
export function countQueryString(filter: ExportFilter, onlyAccepted: boolean): string {
  const params = reviewFilterParams(filter);
  if (onlyAccepted) params.set("onlyAccepted", "true");
  return params.toString();
}

/** A review-style filter from URL parameters; `errors` names the parameters that were not understood. */
export function parseExportQuery(params: URLSearchParams | Record<string, string | string[] | undefined>) {
  const { view, errors } = parseReviewView(params);
  const raw = params instanceof URLSearchParams ? params.get("onlyAccepted") : params.onlyAccepted;
  const onlyAccepted = (Array.isArray(raw) ? raw[0] : raw) === "true";
  return { filter: view.filter, onlyAccepted, errors };
}

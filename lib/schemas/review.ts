// The review list's view (filter, sort, page, selected item) and its URL form, shared by the review page (client),
// its route handlers and server actions. No server imports here.
import { z } from "zod";

/** Version states a reviewer can filter on; no state means "final versions" (everything but improved). */
export const reviewStates = ["kept", "dropped", "pending", "failed", "improved", "all"] as const;
export type ReviewStateFilter = (typeof reviewStates)[number];

export const reviewDecisions = ["accepted", "rejected", "unreviewed"] as const;
export type ReviewDecisionFilter = (typeof reviewDecisions)[number];

export const reviewSortFields = ["gap", "iteration", "createdAt", "strongScore", "targetScore"] as const;
export type ReviewSortField = (typeof reviewSortFields)[number];
export type SortDirection = "asc" | "desc";

export const reviewStateLabels: Record<ReviewStateFilter | "final", string> = {
  final: "Final versions",
  kept: "Kept",
  dropped: "Dropped",
  pending: "Pending",
  failed: "Failed",
  improved: "Improved (superseded)",
  all: "All versions",
};

export const reviewSortLabels: Record<ReviewSortField, string> = {
  gap: "Gap",
  iteration: "Iteration",
  createdAt: "Created",
  strongScore: "Strong score",
  targetScore: "Target score",
};

export const maxReviewPageSize = 200;
export const defaultReviewPageSize = 50;

const text = z.string().trim().max(500, "Keep it under 500 characters");
const score = z.number().finite().min(-100).max(100);

const reviewFilterShape = {
  state: z.enum(reviewStates).optional(),
  decision: z.enum(reviewDecisions).optional(),
  gapMin: score.optional(),
  gapMax: score.optional(),
  iteration: z.number().int("Use a whole number").min(1, "Iterations start at 1").max(1000).optional(),
  useCase: text.min(1).optional(),
  skill: text.min(1).optional(),
  runId: z.number().int().positive().optional(),
  search: text.min(1).optional(),
};

/** The filter as functions and actions take it (already typed: numbers are numbers). */
export const reviewFilterSchema = z
  .object(reviewFilterShape)
  .strict()
  .superRefine((filter, context) => {
    if (filter.gapMin !== undefined && filter.gapMax !== undefined && filter.gapMin > filter.gapMax) {
      context.addIssue({
        code: "custom",
        path: ["gapMax"],
        message: "The maximum gap must be at least the minimum",
      });
    }
  });
export type ReviewFilter = z.output<typeof reviewFilterSchema>;

export interface ReviewSort {
  field: ReviewSortField;
  direction: SortDirection;
}
export const defaultReviewSort: ReviewSort = { field: "gap", direction: "desc" };

/** Everything the review page's URL holds. */
export interface ReviewView {
  filter: ReviewFilter;
  sort: ReviewSort;
  page: number;
  /** Opaque keyset cursor of the page (absent on page 1 and on pages reached by number). */
  cursor?: string;
  /** The instruction version open in the detail pane. */
  item?: number;
}

type ParamSource = URLSearchParams | Record<string, string | string[] | undefined>;

function readParam(params: ParamSource, name: string): string | undefined {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

function readNumber(raw: string | undefined, errors: Record<string, string>, name: string, integer: boolean) {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    errors[name] = integer ? "Use a whole number" : "Enter a number";
    return undefined;
  }
  return value;
}

/**
 * The view from URL parameters. Invalid values are left out and reported in `errors` (keyed by parameter), so a
 * mistyped shared link still opens the list; route handlers turn errors into a 400.
 */
export function parseReviewView(params: ParamSource): { view: ReviewView; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const raw: Record<string, unknown> = {};
  const state = readParam(params, "state");
  if (state !== undefined) raw.state = state;
  const decision = readParam(params, "decision");
  if (decision !== undefined) raw.decision = decision;
  raw.gapMin = readNumber(readParam(params, "gapMin"), errors, "gapMin", false);
  raw.gapMax = readNumber(readParam(params, "gapMax"), errors, "gapMax", false);
  raw.iteration = readNumber(readParam(params, "iteration"), errors, "iteration", true);
  raw.runId = readNumber(readParam(params, "run"), errors, "run", true);
  raw.useCase = readParam(params, "useCase");
  raw.skill = readParam(params, "skill");
  raw.search = readParam(params, "q");

  // Validate field by field so one bad value does not throw the others away.
  const filter: Record<string, unknown> = {};
  const paramNames: Record<string, string> = { runId: "run", search: "q" };
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const field = reviewFilterShape[key as keyof typeof reviewFilterShape].safeParse(value);
    if (field.success) filter[key] = field.data;
    else errors[paramNames[key] ?? key] = field.error.issues[0]?.message ?? "Invalid value";
  }
  const checked = reviewFilterSchema.safeParse(filter);
  if (!checked.success) {
    errors.gapMax = checked.error.issues[0]?.message ?? "Invalid gap range";
    delete filter.gapMin;
    delete filter.gapMax;
  }

  const sort = { ...defaultReviewSort };
  const sortParam = readParam(params, "sort");
  if (sortParam !== undefined) {
    const [field, direction = "desc"] = sortParam.split(".");
    if (
      (reviewSortFields as readonly string[]).includes(field ?? "") &&
      (direction === "asc" || direction === "desc")
    ) {
      sort.field = field as ReviewSortField;
      sort.direction = direction;
    } else errors.sort = "Unknown sort";
  }
  const page = readNumber(readParam(params, "page"), errors, "page", true);
  const item = readNumber(readParam(params, "item"), errors, "item", true);
  const cursor = readParam(params, "cursor");
  const view: ReviewView = {
    filter: filter as ReviewFilter,
    sort,
    page: page !== undefined && page >= 1 ? page : 1,
  };
  if (cursor !== undefined && view.page > 1) view.cursor = cursor;
  if (item !== undefined && item >= 1) view.item = item;
  return { view, errors };
}

/** The filter as URL parameters, in a fixed order, leaving defaults out (also the cache key of a filter). */
export function reviewFilterParams(filter: ReviewFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.state) params.set("state", filter.state);
  if (filter.decision) params.set("decision", filter.decision);
  if (filter.gapMin !== undefined) params.set("gapMin", String(filter.gapMin));
  if (filter.gapMax !== undefined) params.set("gapMax", String(filter.gapMax));
  if (filter.iteration !== undefined) params.set("iteration", String(filter.iteration));
  if (filter.useCase) params.set("useCase", filter.useCase);
  if (filter.skill) params.set("skill", filter.skill);
  if (filter.runId !== undefined) params.set("run", String(filter.runId));
  if (filter.search) params.set("q", filter.search);
  return params;
}

/** The whole view as URL parameters (the page's shareable address). */
export function reviewViewParams(view: ReviewView, options: { withItem?: boolean } = {}): URLSearchParams {
  const params = reviewFilterParams(view.filter);
  if (view.sort.field !== defaultReviewSort.field || view.sort.direction !== defaultReviewSort.direction) {
    params.set("sort", `${view.sort.field}.${view.sort.direction}`);
  }
  if (view.page > 1) params.set("page", String(view.page));
  if (view.cursor && view.page > 1) params.set("cursor", view.cursor);
  if (options.withItem !== false && view.item !== undefined) params.set("item", String(view.item));
  return params;
}

/** True when the filter has no condition beyond the default (final versions). */
export function isDefaultReviewFilter(filter: ReviewFilter): boolean {
  return reviewFilterParams(filter).size === 0;
}

// Server action inputs.
const versionId = z.number().int().positive();
const projectId = z.number().int().positive();

export const reviewItemsSchema = z.object({
  projectId,
  versionIds: z.array(versionId).min(1, "Choose an instruction").max(1000),
  decision: z.enum(["accepted", "rejected"]).nullable().optional(),
  editedText: z.string().trim().min(1, "The instruction cannot be empty").max(100_000).nullable().optional(),
  editedAnswer: z.string().trim().min(1, "The answer cannot be empty").max(200_000).nullable().optional(),
  note: z.string().trim().max(5_000, "Keep the note under 5,000 characters").optional(),
});
export type ReviewItemsInput = z.input<typeof reviewItemsSchema>;

export const undoReviewSchema = z.union([
  z.object({ projectId, versionId }).strict(),
  z.object({ projectId, batchId: z.string().uuid() }).strict(),
]);

export const bulkReviewSchema = z.object({
  projectId,
  filter: reviewFilterSchema,
  decision: z.enum(["accepted", "rejected"]),
  /** Also change records decided otherwise by hand (the "also override N" box); off by default. */
  overrideHandDecisions: z.boolean().optional(),
});

/** How many hand decisions a bulk decision over the filter would leave alone (or override when asked). */
export const countHandDecisionsSchema = bulkReviewSchema.omit({ overrideHandDecisions: true });

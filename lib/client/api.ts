// The browser's one way to read the app's JSON routes, and the one naming of what React Query caches. Every key
// of a project starts with ["project", id, area], so a mutation invalidates exactly the areas it changes (a review
// decision changes the review list, its counts, the export counts and the dashboard) in one call, and optimistic
// updates find the cached lists and details by the same keys.
import type { QueryClient } from "@tanstack/react-query";

/** A route's error: the message the route gave (routes answer `{ error }`), and the HTTP status. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

export type QueryParams =
  Record<string, string | number | boolean | null | undefined> | URLSearchParams | string;

function queryString(params: QueryParams | undefined): string {
  if (params === undefined) return "";
  if (typeof params === "string") return params ? `?${params.replace(/^\?/, "")}` : "";
  const search =
    params instanceof URLSearchParams
      ? params
      : new URLSearchParams(
          Object.entries(params)
            .filter(([, value]) => value !== undefined && value !== null && value !== "")
            .map(([key, value]) => [key, String(value)]),
        );
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** GETs a JSON route of this app. The type parameter names the route's documented response shape. */
export async function fetchJson<T>(
  path: string,
  options: { params?: QueryParams; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${path}${queryString(options.params)}`, {
      signal: options.signal,
      headers: { accept: "application/json" },
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError("The server cannot be reached: check that the app is still running", 0);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const message =
      typeof body === "object" && body !== null && "error" in body && typeof body.error === "string"
        ? body.error
        : `The server answered ${response.status} for ${path}`;
    throw new ApiError(message, response.status);
  }
  return body as T;
}

const project = (projectId: number) => ["project", projectId] as const;

/** Every cache key of the app. Prefixes (e.g. `review(id)`) invalidate all keys below them. */
export const queryKeys = {
  projects: () => ["projects"] as const,
  project,
  seeds: (projectId: number) => [...project(projectId), "seeds"] as const,
  seedPage: (projectId: number, page: number, search: string) =>
    [...project(projectId), "seeds", page, search] as const,
  metadata: (projectId: number) => [...project(projectId), "metadata"] as const,
  metadataPage: (projectId: number, params: string) =>
    [...project(projectId), "metadata", "page", params] as const,
  metadataCharts: (projectId: number, origin: string) =>
    [...project(projectId), "metadata", "charts", origin] as const,
  endpoints: (projectId: number) => [...project(projectId), "endpoints"] as const,
  runs: (projectId: number) => [...project(projectId), "runs"] as const,
  runList: (projectId: number) => [...project(projectId), "runs", "list"] as const,
  runProgress: (projectId: number, runId: number) =>
    [...project(projectId), "runs", "progress", runId] as const,
  dashboard: (projectId: number, runId?: number | null) =>
    runId === undefined
      ? ([...project(projectId), "dashboard"] as const)
      : ([...project(projectId), "dashboard", runId] as const),
  review: (projectId: number) => [...project(projectId), "review"] as const,
  reviewCount: (projectId: number, filterQuery: string) =>
    [...project(projectId), "review", "count", filterQuery] as const,
  reviewLists: (projectId: number) => [...project(projectId), "review", "list"] as const,
  reviewList: (projectId: number, request: string) =>
    [...project(projectId), "review", "list", request] as const,
  reviewDetails: (projectId: number) => [...project(projectId), "review", "detail"] as const,
  reviewDetail: (projectId: number, versionId: number | undefined) =>
    [...project(projectId), "review", "detail", versionId] as const,
  exports: (projectId: number) => [...project(projectId), "exports"] as const,
  exportList: (projectId: number) => [...project(projectId), "exports", "list"] as const,
  exportCount: (projectId: number, query: string | null) =>
    [...project(projectId), "exports", "count", query] as const,
  evaluations: (projectId: number) => [...project(projectId), "evaluations"] as const,
  evaluationList: (projectId: number) => [...project(projectId), "evaluations", "list"] as const,
  evaluation: (projectId: number, evaluationId: number) =>
    [...project(projectId), "evaluations", "detail", evaluationId] as const,
  evaluationCompare: (projectId: number, ids: readonly number[]) =>
    [...project(projectId), "evaluations", "compare", ids.join(",")] as const,
  evaluationDrillDown: (projectId: number, ids: readonly number[], instructionId: number) =>
    [...project(projectId), "evaluations", "drill-down", ids.join(","), instructionId] as const,
  evalSets: (projectId: number) => [...project(projectId), "eval-sets"] as const,
  /** Mutation keys: lists show a started run, evaluation or export at once while its action is on its way. */
  evaluationStart: (projectId: number) => [...project(projectId), "evaluations", "start"] as const,
  runStart: (projectId: number) => [...project(projectId), "runs", "start"] as const,
  exportCreate: (projectId: number) => [...project(projectId), "exports", "create"] as const,
};

/** Everything a review change can move: the review screen, what an export would hold, the dashboard's figures. */
export function invalidateReviewedData(queryClient: QueryClient, projectId: number): Promise<void> {
  return Promise.all(
    [queryKeys.review(projectId), queryKeys.exports(projectId), queryKeys.dashboard(projectId)].map(
      (queryKey) => queryClient.invalidateQueries({ queryKey }),
    ),
  ).then(() => undefined);
}

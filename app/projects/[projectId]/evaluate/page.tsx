import { notFound } from "next/navigation";
import { getDb, getPool } from "@/lib/db/client";
import { getProjectEndpoints } from "@/lib/db/endpoints";
import { countSeedsInEvalSets, listEvalSets } from "@/lib/db/eval-sets";
import { listEvaluations } from "@/lib/db/evaluations";
import { listPublicSets } from "@/lib/evaluation/public-sets";
import type { EndpointOption, EvalSetView, EvaluationListItem } from "./evaluate-client";
import { EvaluatePanel } from "./evaluate-panel";

export const dynamic = "force-dynamic";

export default async function EvaluatePage({ params }: { params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  if (!Number.isInteger(projectId) || projectId <= 0) notFound();
  const pool = getPool();
  const [sets, evaluations, endpoints, seedsInSets] = await Promise.all([
    listEvalSets(pool, projectId),
    listEvaluations(pool, projectId),
    getProjectEndpoints(getDb(), projectId),
    countSeedsInEvalSets(pool, projectId),
  ]);
  const endpointOptions: EndpointOption[] = (["strong", "target", "judge"] as const).flatMap((role) => {
    const endpoint = endpoints[role];
    return endpoint ? [{ role, label: `${endpoint.model} @ ${endpoint.baseUrl}` }] : [];
  });
  // Dates become strings, as the routes the page polls return them.
  const initialSets = JSON.parse(JSON.stringify(sets)) as EvalSetView[];
  const initialEvaluations = JSON.parse(
    JSON.stringify(evaluations.map(({ configSnapshot: _config, ...row }) => row)),
  ) as EvaluationListItem[];
  return (
    <EvaluatePanel
      projectId={projectId}
      initialSets={initialSets}
      initialEvaluations={initialEvaluations}
      endpoints={endpointOptions}
      publicSets={listPublicSets()}
      seedsInSets={seedsInSets}
    />
  );
}

import { getDb } from "@/lib/db/client";
import { getProjectEndpoints } from "@/lib/db/endpoints";
import { listRuns } from "@/lib/db/runs";
import { RunPanel } from "./run-panel";

export const dynamic = "force-dynamic";

export default async function RunPage({ params }: { params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  const db = getDb();
  const [runs, endpoints, project, seeds, metadata] = await Promise.all([
    listRuns(db, projectId),
    getProjectEndpoints(db, projectId),
    db.project.findUniqueOrThrow({ where: { id: projectId } }),
    db.seed.count({ where: { projectId } }),
    db.metadataEntry.count({ where: { projectId } }),
  ]);
  const readiness = {
    seeds,
    metadata,
    strong: endpoints.strong ? `${endpoints.strong.model} @ ${endpoints.strong.baseUrl}` : null,
    target: endpoints.target ? `${endpoints.target.model} @ ${endpoints.target.baseUrl}` : null,
    judge: endpoints.judge ? `${endpoints.judge.model} @ ${endpoints.judge.baseUrl}` : null,
    settings: {
      poolSize: project.poolSize,
      targetDatasetSize: project.targetDatasetSize,
      maxIterations: project.maxIterations,
      gapThreshold: project.gapThreshold,
      randomSeed: project.randomSeed,
    },
  };
  return (
    <RunPanel projectId={projectId} initialRuns={JSON.parse(JSON.stringify(runs))} readiness={readiness} />
  );
}

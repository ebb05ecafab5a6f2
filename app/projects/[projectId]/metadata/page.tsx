import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { getMetadataCharts, listMetadata } from "@/lib/db/metadata";
import { countSeeds } from "@/lib/db/seeds";
import { MetadataView } from "./metadata-view";

export const dynamic = "force-dynamic";

export default async function ProjectMetadataPage({ params }: { params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  if (!Number.isInteger(projectId) || projectId <= 0) notFound();
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: projectId }, select: { maxSkills: true } });
  if (!project) notFound();
  const [seedCount, firstPage, charts] = await Promise.all([
    countSeeds(db, { projectId }),
    listMetadata(db, { projectId, page: 1, pageSize: 50 }),
    getMetadataCharts(db, { projectId }),
  ]);
  return (
    <MetadataView
      projectId={projectId}
      maxSkills={project.maxSkills}
      seedCount={seedCount}
      initialPage={JSON.parse(JSON.stringify(firstPage))}
      initialCharts={charts}
    />
  );
}

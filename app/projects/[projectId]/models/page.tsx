import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { listEndpoints } from "@/lib/db/endpoints";
import { toEndpointView } from "./endpoint-view";
import { ModelsView } from "./models-view";

export const dynamic = "force-dynamic";

export default async function ProjectModelsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  if (!Number.isInteger(projectId) || projectId <= 0) notFound();
  const endpoints = await listEndpoints(getDb(), projectId);
  return <ModelsView projectId={projectId} initialEndpoints={endpoints.map(toEndpointView)} />;
}

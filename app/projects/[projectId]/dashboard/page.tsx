import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { getDashboard } from "@/lib/db/dashboard";
import { DashboardView, type DashboardData } from "./dashboard-view";

export const dynamic = "force-dynamic";

export default async function ProjectDashboardPage({ params }: { params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  if (!Number.isInteger(projectId) || projectId <= 0) notFound();
  const dashboard = await getDashboard(getDb(), { projectId });
  // Through JSON, as the route handler sends it: dates become strings.
  const initial = JSON.parse(JSON.stringify(dashboard)) as DashboardData;
  return <DashboardView projectId={projectId} initial={initial} />;
}

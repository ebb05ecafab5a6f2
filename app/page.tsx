import { getDb } from "@/lib/db/client";
import { listProjects } from "@/lib/db/projects";
import { ProjectList } from "./project-list";

export const dynamic = "force-dynamic";

export default async function ProjectsPage() {
  const projects = await listProjects(getDb());
  return <ProjectList initialProjects={JSON.parse(JSON.stringify(projects))} />;
}

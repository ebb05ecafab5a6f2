import { notFound } from "next/navigation";
import { getDb } from "@/lib/db/client";
import { getProjectSettings } from "@/lib/db/project-settings";
import { AppError } from "@/lib/errors";
import { toSettingsFormValues } from "@/lib/schemas/project-settings";
import { SettingsForm } from "./settings-form";

export const dynamic = "force-dynamic";

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  if (!Number.isInteger(projectId) || projectId <= 0) notFound();
  const project = await getProjectSettings(getDb(), projectId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  });
  const updatedAt = project.updatedAt.toISOString();
  return (
    <SettingsForm
      key={updatedAt}
      projectId={projectId}
      saved={{
        name: project.name,
        taskDescription: project.taskDescription,
        settings: toSettingsFormValues(project.settings),
      }}
      updatedAt={updatedAt}
    />
  );
}

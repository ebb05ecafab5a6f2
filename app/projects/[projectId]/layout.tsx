import Link from "next/link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb } from "@/lib/db/client";
import { ProjectTabs } from "./project-tabs";

export const dynamic = "force-dynamic";

export default async function ProjectLayout({
  params,
  children,
}: {
  params: Promise<{ projectId: string }>;
  children: ReactNode;
}) {
  const { projectId } = await params;
  const id = Number(projectId);
  if (!Number.isInteger(id) || id <= 0) notFound();
  const project = await getDb().project.findUnique({
    where: { id },
    select: { id: true, name: true, taskDescription: true },
  });
  if (!project) notFound();
  return (
    <div className="space-y-4">
      <div>
        <p className="text-xs text-zinc-500">
          <Link href="/" className="hover:underline">
            Projects
          </Link>{" "}
          /
        </p>
        <h1 className="text-lg font-semibold">{project.name}</h1>
        {project.taskDescription ? (
          <p className="max-w-3xl text-sm text-zinc-600">{project.taskDescription}</p>
        ) : null}
      </div>
      <ProjectTabs projectId={project.id} />
      {children}
    </div>
  );
}

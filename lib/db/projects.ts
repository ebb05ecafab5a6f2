// Project data access: small verb-named functions, each taking a client or a transaction.
import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";

export interface ProjectSummary {
  id: number;
  name: string;
  taskDescription: string;
  createdAt: Date;
  updatedAt: Date;
  seedCount: number;
  runCount: number;
}

export async function listProjects(db: DbOrTx): Promise<ProjectSummary[]> {
  const projects = await db.project.findMany({
    orderBy: { updatedAt: "desc" },
    select: {
      id: true,
      name: true,
      taskDescription: true,
      createdAt: true,
      updatedAt: true,
      _count: { select: { seeds: true, runs: true } },
    },
  });
  return projects.map(({ _count, ...project }) => ({
    ...project,
    seedCount: _count.seeds,
    runCount: _count.runs,
  }));
}

export async function getProjectOrThrow(db: DbOrTx, projectId: number) {
  const project = await db.project.findUnique({ where: { id: projectId } });
  if (!project)
    throw new AppError("not_found", `Project ${projectId} does not exist (it may have been deleted)`);
  return project;
}

export async function createProject(db: DbOrTx, input: { name: string; taskDescription?: string }) {
  return db.project.create({ data: { name: input.name, taskDescription: input.taskDescription ?? "" } });
}

export async function renameProject(db: DbOrTx, input: { projectId: number; name: string }) {
  const updated = await db.project.updateMany({ where: { id: input.projectId }, data: { name: input.name } });
  if (updated.count === 0) throw new AppError("not_found", `Project ${input.projectId} does not exist`);
}

export async function deleteProject(db: DbOrTx, projectId: number) {
  const deleted = await db.project.deleteMany({ where: { id: projectId } });
  if (deleted.count === 0) throw new AppError("not_found", `Project ${projectId} does not exist`);
}

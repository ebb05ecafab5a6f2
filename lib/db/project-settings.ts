// A project's name, downstream task and method parameters (the Method settings page; runs snapshot them at start).
import type { DbOrTx } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { METHOD_SETTING_KEYS, type MethodSettings } from "@/lib/codeclm/settings";

export interface ProjectSettings {
  projectId: number;
  name: string;
  taskDescription: string;
  settings: MethodSettings;
  updatedAt: Date;
}

const settingsSelect = Object.fromEntries(METHOD_SETTING_KEYS.map((key) => [key, true])) as Record<
  keyof MethodSettings,
  true
>;
const select = { id: true, name: true, taskDescription: true, updatedAt: true, ...settingsSelect } as const;

function toProjectSettings(
  row: { id: number; name: string; taskDescription: string; updatedAt: Date } & MethodSettings,
): ProjectSettings {
  const { id, name, taskDescription, updatedAt, ...settings } = row;
  return { projectId: id, name, taskDescription, updatedAt, settings };
}

export async function getProjectSettings(db: DbOrTx, projectId: number): Promise<ProjectSettings> {
  const row = await db.project.findUnique({ where: { id: projectId }, select });
  if (!row) throw new AppError("not_found", `Project ${projectId} does not exist (it may have been deleted)`);
  return toProjectSettings(row);
}

/** Saves the name, task description and every method parameter (already validated). */
export async function updateProjectSettings(
  db: DbOrTx,
  input: { projectId: number; name: string; taskDescription: string; settings: MethodSettings },
): Promise<ProjectSettings> {
  const updated = await db.project.updateMany({
    where: { id: input.projectId },
    data: { name: input.name, taskDescription: input.taskDescription, ...input.settings },
  });
  if (updated.count === 0) throw new AppError("not_found", `Project ${input.projectId} does not exist`);
  return getProjectSettings(db, input.projectId);
}

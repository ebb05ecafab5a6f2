"use server";

import { getDb } from "@/lib/db/client";
import { createProject, deleteProject, renameProject } from "@/lib/db/projects";
import { AppError, runAction, type ActionResult } from "@/lib/errors";
import { createProjectSchema, projectIdSchema, renameProjectSchema } from "@/lib/schemas/project";
import type { z } from "zod";

function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError("invalid_input", parsed.error.issues.map((issue) => issue.message).join("; "), {
      fieldErrors: parsed.error.flatten().fieldErrors,
    });
  }
  return parsed.data;
}

export async function createProjectAction(input: unknown): Promise<ActionResult<{ id: number }>> {
  return runAction(async () => {
    const data = parseOrThrow(createProjectSchema, input);
    const project = await createProject(getDb(), data);
    return { id: project.id };
  });
}

export async function renameProjectAction(input: unknown): Promise<ActionResult<null>> {
  return runAction(async () => {
    const data = parseOrThrow(renameProjectSchema, input);
    await renameProject(getDb(), data);
    return null;
  });
}

export async function deleteProjectAction(input: unknown): Promise<ActionResult<null>> {
  return runAction(async () => {
    const { projectId } = parseOrThrow(projectIdSchema, input);
    await deleteProject(getDb(), projectId);
    return null;
  });
}

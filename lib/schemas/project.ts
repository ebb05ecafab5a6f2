// Input schemas shared by forms (client) and server actions.
import { z } from "zod";

export const projectNameSchema = z
  .string()
  .trim()
  .min(1, "Give the project a name")
  .max(120, "Keep the name under 120 characters");

export const createProjectSchema = z.object({
  name: projectNameSchema,
  taskDescription: z
    .string()
    .trim()
    .max(4000, "Keep the task description under 4,000 characters")
    .default(""),
});

export const renameProjectSchema = z.object({
  projectId: z.coerce.number().int().positive(),
  name: projectNameSchema,
});

export const projectIdSchema = z.object({ projectId: z.coerce.number().int().positive() });

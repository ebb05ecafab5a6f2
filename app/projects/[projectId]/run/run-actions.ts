"use server";

import { z } from "zod";
import { getDb, getPool } from "@/lib/db/client";
import { getRunOrThrow } from "@/lib/db/runs";
import { AppError, runAction, type ActionResult } from "@/lib/errors";
import { cancelRun, resumeRun, startRun } from "@/lib/pipeline/run-control";

const projectInput = z.object({ projectId: z.number().int().positive() });
const runInput = z.object({
  projectId: z.number().int().positive(),
  runId: z.number().int().positive(),
  retryFailed: z.boolean().optional(),
});

function parse<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success)
    throw new AppError("invalid_input", parsed.error.issues.map((issue) => issue.message).join("; "));
  return parsed.data;
}

/** A run id from the browser is only trusted once it is known to belong to the project. */
async function runOfProject(projectId: number, runId: number): Promise<void> {
  const run = await getRunOrThrow(getPool(), runId);
  if (run.projectId !== projectId)
    throw new AppError("not_found", `Run ${runId} is not a run of this project`);
}

export async function startRunAction(input: unknown): Promise<ActionResult<{ runId: number }>> {
  return runAction(async () => {
    const { projectId } = parse(projectInput, input);
    await getDb()
      .project.findUniqueOrThrow({ where: { id: projectId }, select: { id: true } })
      .catch(() => {
        throw new AppError("not_found", `Project ${projectId} does not exist`);
      });
    const { runId } = await startRun(projectId);
    return { runId };
  });
}

export async function cancelRunAction(input: unknown): Promise<ActionResult<{ state: string }>> {
  return runAction(async () => {
    const { projectId, runId } = parse(runInput, input);
    await runOfProject(projectId, runId);
    return cancelRun(runId);
  });
}

export async function resumeRunAction(input: unknown): Promise<ActionResult<{ state: string }>> {
  return runAction(async () => {
    const { projectId, runId, retryFailed } = parse(runInput, input);
    await runOfProject(projectId, runId);
    const { state } = await resumeRun(runId, { retryFailed: retryFailed ?? false });
    return { state };
  });
}

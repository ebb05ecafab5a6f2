"use server";

import { z } from "zod";
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

// The run control functions check that a run id from the browser belongs to the project (not_found otherwise),
// and startRun that the project exists.
export async function startRunAction(input: unknown): Promise<ActionResult<{ runId: number }>> {
  return runAction(async () => {
    const { projectId } = parse(projectInput, input);
    const { runId } = await startRun(projectId);
    return { runId };
  });
}

export async function cancelRunAction(input: unknown): Promise<ActionResult<{ state: string }>> {
  return runAction(async () => {
    const { projectId, runId } = parse(runInput, input);
    return cancelRun(runId, { projectId });
  });
}

export async function resumeRunAction(input: unknown): Promise<ActionResult<{ state: string }>> {
  return runAction(async () => {
    const { projectId, runId, retryFailed } = parse(runInput, input);
    const { state } = await resumeRun(runId, { retryFailed: retryFailed ?? false, projectId });
    return { state };
  });
}

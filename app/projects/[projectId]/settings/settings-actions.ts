"use server";

import { getDb } from "@/lib/db/client";
import { updateProjectSettings } from "@/lib/db/project-settings";
import { runAction, type ActionResult } from "@/lib/errors";
import { parseInputOrThrow } from "@/lib/schemas/form-errors";
import { projectSettingsInputSchema } from "@/lib/schemas/project-settings";

export async function saveProjectSettingsAction(
  input: unknown,
): Promise<ActionResult<{ updatedAt: string }>> {
  return runAction(async () => {
    const data = parseInputOrThrow(projectSettingsInputSchema, input);
    const saved = await updateProjectSettings(getDb(), data);
    return { updatedAt: saved.updatedAt.toISOString() };
  });
}

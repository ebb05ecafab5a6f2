"use server";

import { z } from "zod";
import { getDb } from "@/lib/db/client";
import {
  createMetadataEntry,
  deleteMetadataEntries,
  updateMetadataEntry,
  type MetadataRow,
} from "@/lib/db/metadata";
import { getProjectOrThrow } from "@/lib/db/projects";
import { runAction, type ActionResult } from "@/lib/errors";
import { parseInputOrThrow } from "@/lib/schemas/form-errors";
import { metadataEntrySchema } from "@/lib/schemas/metadata";

const projectSchema = z.object({ projectId: z.number().int().positive() });
const entryIdSchema = projectSchema.extend({ id: z.number().int().positive() });

/** The entry's fields, checked against this project's "Skills per instruction" setting. */
async function parseEntry(input: unknown, projectId: number) {
  const project = await getProjectOrThrow(getDb(), projectId);
  return parseInputOrThrow(metadataEntrySchema(project.maxSkills), input);
}

export async function createMetadataEntryAction(input: unknown): Promise<ActionResult<MetadataRow>> {
  return runAction(async () => {
    const { projectId } = parseInputOrThrow(projectSchema, input);
    const entry = await parseEntry(input, projectId);
    return createMetadataEntry(getDb(), { projectId, ...entry });
  });
}

export async function updateMetadataEntryAction(input: unknown): Promise<ActionResult<MetadataRow>> {
  return runAction(async () => {
    const { projectId, id } = parseInputOrThrow(entryIdSchema, input);
    const entry = await parseEntry(input, projectId);
    return updateMetadataEntry(getDb(), { projectId, id, ...entry });
  });
}

const deleteSchema = z.object({
  projectId: z.number().int().positive(),
  ids: z.array(z.number().int().positive()).min(1, "Select entries to delete").max(10_000),
});

export async function deleteMetadataEntriesAction(
  input: unknown,
): Promise<ActionResult<{ deleted: number; withInstructions: number }>> {
  return runAction(async () => deleteMetadataEntries(getDb(), parseInputOrThrow(deleteSchema, input)));
}

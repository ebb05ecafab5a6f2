"use server";

import { z } from "zod";
import { getDb, getPool } from "@/lib/db/client";
import { getProjectOrThrow } from "@/lib/db/projects";
import { importSeedFile, previewSeedFile, type SeedFileSource } from "@/lib/db/seed-file-import";
import { countSeedsInEvalSets } from "@/lib/db/eval-sets";
import { deleteSeeds } from "@/lib/db/seeds";
import { AppError, runAction, type ActionResult } from "@/lib/errors";
import { seedFileFormats } from "@/lib/formats/seed-file";

const sourceSchema = z.object({
  projectId: z.coerce.number().int().positive(),
  format: z.enum(["auto", ...seedFileFormats]).default("auto"),
  instructionField: z.string().trim().optional(),
  inputField: z.string().trim().optional(),
});

/** The uploaded file, or the pasted text (as a "pasted text" file). */
async function readSource(formData: FormData): Promise<SeedFileSource & z.infer<typeof sourceSchema>> {
  const fields = sourceSchema.safeParse({
    projectId: formData.get("projectId"),
    format: formData.get("format") || undefined,
    instructionField: formData.get("instructionField") ?? undefined,
    inputField: formData.get("inputField") ?? undefined,
  });
  if (!fields.success)
    throw new AppError("invalid_input", fields.error.issues.map((issue) => issue.message).join("; "));
  const file = formData.get("file");
  const pasted = formData.get("text");
  if (file instanceof File && file.size > 0) {
    return {
      ...fields.data,
      bytes: new Uint8Array(await file.arrayBuffer()),
      fileName: file.name || "uploaded file",
    };
  }
  if (file instanceof File && file.name) {
    return { ...fields.data, bytes: new Uint8Array(), fileName: file.name };
  }
  if (typeof pasted === "string") {
    return { ...fields.data, bytes: new TextEncoder().encode(pasted), fileName: "pasted text" };
  }
  throw new AppError("invalid_input", "Choose a file or paste some instructions first");
}

export async function previewSeedsAction(
  formData: FormData,
): Promise<ActionResult<ReturnType<typeof previewSeedFile>>> {
  return runAction(async () => {
    const source = await readSource(formData);
    await getProjectOrThrow(getDb(), source.projectId);
    return previewSeedFile(source);
  });
}

export async function importSeedsAction(formData: FormData): Promise<
  ActionResult<{
    imported: number;
    duplicates: number;
    rowCount: number;
    format: string;
    seedsInEvalSets: number;
  }>
> {
  return runAction(async () => {
    const source = await readSource(formData);
    const result = await importSeedFile(getPool(), {
      ...source,
      // "" means "no input field"; absent means "the suggested one".
      inputField: source.inputField ?? undefined,
    });
    // Test instructions should stay out of the training data (the paper keeps them apart): warn, don't block.
    const seedsInEvalSets = await countSeedsInEvalSets(getPool(), source.projectId);
    return {
      imported: result.imported,
      duplicates: result.duplicates,
      rowCount: result.rowCount,
      format: result.format,
      seedsInEvalSets,
    };
  });
}

const deleteSchema = z.object({
  projectId: z.number().int().positive(),
  ids: z.array(z.number().int().positive()).min(1, "Select seeds to delete").max(10_000),
});

export async function deleteSeedsAction(input: unknown): Promise<ActionResult<{ deleted: number }>> {
  return runAction(async () => {
    const parsed = deleteSchema.safeParse(input);
    if (!parsed.success)
      throw new AppError("invalid_input", parsed.error.issues.map((issue) => issue.message).join("; "));
    return { deleted: await deleteSeeds(getDb(), parsed.data) };
  });
}

"use server";

import { z } from "zod";
import { getDb, getPool } from "@/lib/db/client";
import { getProjectEndpoints } from "@/lib/db/endpoints";
import { deleteEvalSet } from "@/lib/db/eval-sets";
import { getEvaluationOfProject } from "@/lib/db/evaluations";
import { getProjectOrThrow } from "@/lib/db/projects";
import { assertAllowedKeyVariable } from "@/lib/llm/key-variable";
import { AppError, runAction, type ActionResult } from "@/lib/errors";
import { resolveEndpointChoice } from "@/lib/evaluation/config";
import {
  cancelEvaluation,
  deleteEvaluation,
  resumeEvaluation,
  startEvaluation,
} from "@/lib/evaluation/control";
import { previewEvalSetFile, type EvalSetFilePreview } from "@/lib/evaluation/eval-set-file";
import { addPublicSet, importEvalSetFile, type AddedEvalSet } from "@/lib/evaluation/sets";
import { seedFileFormats } from "@/lib/formats/seed-file";
import {
  evalSetRefSchema,
  evaluationRefSchema,
  loadPublicSetSchema,
  resumeEvaluationSchema,
  startEvaluationSchema,
} from "@/lib/schemas/evaluation";

function parse<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new AppError(
      "invalid_input",
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; "),
    );
  }
  return parsed.data;
}

/** An evaluation id from the browser is only trusted once it is known to belong to the project. */
async function evaluationOfProject(projectId: number, evaluationId: number): Promise<void> {
  await getEvaluationOfProject(getPool(), projectId, evaluationId);
}

export async function loadPublicSetAction(input: unknown): Promise<ActionResult<AddedEvalSet>> {
  return runAction(async () => {
    const { projectId, name } = parse(loadPublicSetSchema, input);
    await getProjectOrThrow(getDb(), projectId);
    return addPublicSet(getPool(), projectId, name);
  });
}

const fileFieldsSchema = z.object({
  projectId: z.coerce.number().int().positive(),
  format: z.enum(["auto", ...seedFileFormats]).default("auto"),
  name: z.string().trim().max(200).optional(),
  instructionField: z.string().trim().optional(),
  inputField: z.string().trim().optional(),
  categoryField: z.string().trim().optional(),
});

async function readFileForm(formData: FormData) {
  const fields = parse(fileFieldsSchema, {
    projectId: formData.get("projectId"),
    format: formData.get("format") || undefined,
    name: formData.get("name") ?? undefined,
    instructionField: formData.get("instructionField") ?? undefined,
    inputField: formData.get("inputField") ?? undefined,
    categoryField: formData.get("categoryField") ?? undefined,
  });
  const file = formData.get("file");
  if (!(file instanceof File) || !file.name)
    throw new AppError("invalid_input", "Choose an evaluation set file first");
  await getProjectOrThrow(getDb(), fields.projectId);
  return { ...fields, bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name };
}

export async function previewEvalSetFileAction(
  formData: FormData,
): Promise<ActionResult<EvalSetFilePreview>> {
  return runAction(async () => previewEvalSetFile(await readFileForm(formData)));
}

export async function importEvalSetFileAction(formData: FormData): Promise<ActionResult<AddedEvalSet>> {
  return runAction(async () => {
    const source = await readFileForm(formData);
    // "" means "no such field"; absent means "the suggested one".
    return importEvalSetFile(getPool(), source);
  });
}

export async function deleteEvalSetAction(input: unknown): Promise<ActionResult<{ deleted: true }>> {
  return runAction(async () => {
    const { projectId, setId } = parse(evalSetRefSchema, input);
    await deleteEvalSet(getPool(), projectId, setId);
    return { deleted: true as const };
  });
}

export async function startEvaluationAction(input: unknown): Promise<ActionResult<{ evaluationId: number }>> {
  return runAction(async () => {
    const parsed = parse(startEvaluationSchema, input);
    for (const field of ["target", "reference", "judge"] as const) {
      const choice = parsed[field];
      if (choice?.source === "custom") assertAllowedKeyVariable(choice.apiKeyEnv, `${field}.apiKeyEnv`);
    }
    const project = await getProjectEndpoints(getDb(), parsed.projectId);
    const { evaluationId } = await startEvaluation({
      projectId: parsed.projectId,
      setId: parsed.setId,
      name: parsed.name,
      target: resolveEndpointChoice(parsed.target, project, "target"),
      reference: resolveEndpointChoice(parsed.reference, project, "reference"),
      judge: parsed.judge ? resolveEndpointChoice(parsed.judge, project, "judge") : null,
    });
    return { evaluationId };
  });
}

export async function cancelEvaluationAction(input: unknown): Promise<ActionResult<{ state: string }>> {
  return runAction(async () => {
    const { projectId, evaluationId } = parse(evaluationRefSchema, input);
    await evaluationOfProject(projectId, evaluationId);
    return cancelEvaluation(evaluationId);
  });
}

export async function resumeEvaluationAction(input: unknown): Promise<ActionResult<{ state: string }>> {
  return runAction(async () => {
    const { projectId, evaluationId, retryFailed } = parse(resumeEvaluationSchema, input);
    await evaluationOfProject(projectId, evaluationId);
    const { state } = await resumeEvaluation(evaluationId, { retryFailed: retryFailed ?? false });
    return { state };
  });
}

export async function deleteEvaluationAction(input: unknown): Promise<ActionResult<{ deleted: true }>> {
  return runAction(async () => {
    const { projectId, evaluationId } = parse(evaluationRefSchema, input);
    await deleteEvaluation(projectId, evaluationId);
    return { deleted: true as const };
  });
}

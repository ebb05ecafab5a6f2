// The Evaluate page's inputs, shared by its forms (checks before sending) and its server actions.
// An evaluation's endpoint is one of the project's (by role) or a custom one typed in (e.g. a fine-tuned model).
import { z } from "zod";
import { apiKeyEnvSchema, baseUrlSchema, endpointRoles } from "@/lib/schemas/endpoint";

const id = z.number().int().positive();

export const endpointChoiceSchema = z.discriminatedUnion("source", [
  z.object({ source: z.literal("project"), role: z.enum(endpointRoles) }),
  z.object({
    source: z.literal("custom"),
    baseUrl: baseUrlSchema,
    model: z
      .string()
      .trim()
      .min(1, "Enter the model name the server knows")
      .max(200, "Keep the model name under 200 characters"),
    apiKeyEnv: apiKeyEnvSchema.nullish().transform((value) => value ?? null),
  }),
]);
export type EndpointChoice = z.output<typeof endpointChoiceSchema>;

export const startEvaluationSchema = z.object({
  projectId: id,
  setId: id,
  name: z.string().trim().max(200, "Keep the name under 200 characters").optional(),
  target: endpointChoiceSchema,
  reference: endpointChoiceSchema,
  /** null: the reference endpoint judges (the paper's setting when no separate judge is given). */
  judge: endpointChoiceSchema.nullable(),
});
export type StartEvaluationInput = z.output<typeof startEvaluationSchema>;

export const evaluationRefSchema = z.object({ projectId: id, evaluationId: id });
export const resumeEvaluationSchema = evaluationRefSchema.extend({ retryFailed: z.boolean().optional() });
export const evalSetRefSchema = z.object({ projectId: id, setId: id });
export const loadPublicSetSchema = z.object({ projectId: id, name: z.string().trim().min(1).max(100) });

/** "1,2,3" in a query string → ids (2 to 6 evaluations side by side). */
export const compareIdsSchema = z
  .string()
  .transform((value) => value.split(",").map((part) => Number(part.trim())))
  .pipe(z.array(id).min(1, "Pick evaluations to compare").max(6, "Compare at most 6 evaluations"));

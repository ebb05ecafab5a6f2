// Export input schemas, shared by the export form (client), its server action and its routes. The filter is the
// review list's filter (lib/schemas/review.ts) restricted to kept pairs. No server imports here.
import { z } from "zod";
import type { RecordFormat } from "@/lib/formats/export-records";
import type { ProvenanceLevel } from "@/lib/formats/record-schemas";
import { optionalNumber } from "@/lib/schemas/form-number";
import { reviewFilterSchema, type ReviewFilter } from "@/lib/schemas/review";

/** A record shape written as JSON Lines, or as Parquet ("-parquet"). */
export const exportFormats = [
  "chat",
  "alpaca",
  "sharegpt",
  "preference",
  "preference-sharegpt",
  "chat-parquet",
  "alpaca-parquet",
  "sharegpt-parquet",
  "preference-parquet",
  "preference-sharegpt-parquet",
] as const;
export type ExportFormat = (typeof exportFormats)[number];

export function isParquetFormat(format: ExportFormat): boolean {
  return format.endsWith("-parquet");
}

/** The export format of a record shape written as JSONL or Parquet. */
export function exportFormatOf(shape: RecordFormat, parquet: boolean): ExportFormat {
  return (parquet ? `${shape}-parquet` : shape) as ExportFormat;
}

/** The record shape of an export format (the same for its JSONL and Parquet files). */
export function recordFormatOf(format: ExportFormat): RecordFormat {
  return format.replace(/-parquet$/, "") as RecordFormat;
}

export const exportShapeLabels: Record<RecordFormat, string> = {
  chat: "OpenAI chat (messages)",
  alpaca: "Alpaca (instruction / input / output)",
  sharegpt: "ShareGPT (conversations)",
  preference: "Preference pairs for TRL DPOTrainer (prompt / chosen / rejected)",
  "preference-sharegpt": "Preference pairs for LLaMA-Factory (conversations / chosen / rejected)",
};

export const exportFormatLabels = Object.fromEntries(
  exportFormats.map((format) => [
    format,
    `${exportShapeLabels[recordFormatOf(format)]}, ${isParquetFormat(format) ? "Parquet" : "JSONL"}`,
  ]),
) as Record<ExportFormat, string>;

export const exportFileExtensions = Object.fromEntries(
  exportFormats.map((format) => [format, isParquetFormat(format) ? "parquet" : "jsonl"]),
) as Record<ExportFormat, string>;

/**
 * Which pairs go into an export: a review filter whose state, if given, is "kept" (only kept pairs form the
 * dataset). Human-rejected pairs never leave, whatever the filter says.
 */
export type ExportFilter = ReviewFilter;
export const exportFilterSchema = reviewFilterSchema.refine(
  (filter) => filter.state === undefined || filter.state === "kept",
  { path: ["state"], message: "Only kept pairs can be exported" },
);

export const exportOptionsSchema = z.object({
  /** Only items a human accepted (on top of the filter). */
  onlyAccepted: z.boolean().default(false),
  /** Use the reviewer's edited instruction and answer where there is one. */
  applyEdits: z.boolean().default(true),
  /** Add the `codeclm` provenance fields (use case, skills, iteration, scores, gap, kept side, run). */
  includeProvenance: z.boolean().default(false),
  /**
   * Full provenance: also the version and metadata ids, the chain of texts with each round's action, both
   * answers, the four per-order judge scores, models, prompt versions and a hash of the run's config.
   */
  fullProvenance: z.boolean().default(false),
});
export type ExportOptions = z.output<typeof exportOptionsSchema>;

/** How much provenance an export carries; full provenance implies provenance. */
export function provenanceLevel(
  options: Pick<ExportOptions, "includeProvenance" | "fullProvenance">,
): ProvenanceLevel {
  if (options.fullProvenance) return "full";
  return options.includeProvenance ? "lean" : "none";
}

export const createExportSchema = z.object({
  projectId: z.number().int().positive(),
  format: z.enum(exportFormats, { message: "Choose a format" }),
  filter: exportFilterSchema.default({}),
  options: exportOptionsSchema.prefault({}),
});
export type CreateExportInput = z.input<typeof createExportSchema>;

// The form: what the user typed (strings), checked field by field with messages that fit next to each field.
export const exportDecisionChoices = ["any", "accepted", "unreviewed"] as const;
export type ExportDecisionChoice = (typeof exportDecisionChoices)[number];

const blankToUndefined = <T>(value: T | null) => (value === null ? undefined : value);
const formText = (label: string) =>
  z
    .string()
    .trim()
    .max(500, `Keep the ${label} under 500 characters`)
    .transform((value) => (value === "" ? undefined : value));

export const exportFormSchema = z
  .object({
    projectId: z.number().int().positive(),
    format: z.enum(exportFormats, { message: "Choose a format" }),
    decision: z.enum(exportDecisionChoices),
    gapMin: optionalNumber({ label: "the lowest gap", min: -100, max: 100, integer: false }).transform(
      blankToUndefined,
    ),
    gapMax: optionalNumber({ label: "the highest gap", min: -100, max: 100, integer: false }).transform(
      blankToUndefined,
    ),
    iteration: optionalNumber({ label: "an iteration", min: 1, max: 1000, integer: true }).transform(
      blankToUndefined,
    ),
    runId: optionalNumber({ label: "a run", min: 1, max: 2_147_483_647, integer: true }).transform(
      blankToUndefined,
    ),
    useCase: formText("use case"),
    skill: formText("skill"),
    search: formText("search"),
    applyEdits: z.boolean(),
    includeProvenance: z.boolean(),
    fullProvenance: z.boolean(),
  })
  .superRefine((values, context) => {
    if (values.gapMin !== undefined && values.gapMax !== undefined && values.gapMin > values.gapMax) {
      context.addIssue({
        code: "custom",
        path: ["gapMax"],
        message: "The highest gap must be at least the lowest",
      });
    }
  })
  .transform((values): z.output<typeof createExportSchema> => ({
    projectId: values.projectId,
    format: values.format,
    filter: {
      state: "kept",
      // "Accepted only" is the onlyAccepted option; "not reviewed yet" is a filter on the decision.
      ...(values.decision === "unreviewed" ? { decision: "unreviewed" as const } : {}),
      ...(values.gapMin !== undefined ? { gapMin: values.gapMin } : {}),
      ...(values.gapMax !== undefined ? { gapMax: values.gapMax } : {}),
      ...(values.iteration !== undefined ? { iteration: values.iteration } : {}),
      ...(values.runId !== undefined ? { runId: values.runId } : {}),
      ...(values.useCase !== undefined ? { useCase: values.useCase } : {}),
      ...(values.skill !== undefined ? { skill: values.skill } : {}),
      ...(values.search !== undefined ? { search: values.search } : {}),
    },
    options: {
      onlyAccepted: values.decision === "accepted",
      applyEdits: values.applyEdits,
      includeProvenance: values.includeProvenance || values.fullProvenance,
      fullProvenance: values.fullProvenance,
    },
  }));
export type ExportFormValues = Omit<
  z.input<typeof exportFormSchema>,
  "projectId" | "gapMin" | "gapMax" | "iteration" | "runId"
> & {
  gapMin: string;
  gapMax: string;
  iteration: string;
  runId: string;
};

// Metadata entries written or edited by hand (use case + comma-separated skills), and the pool table's filters.
// The same schema checks the form in the browser and the input in the server action.
import { z } from "zod";
import { cleanLabel, distinctLabels } from "@/lib/codeclm/metadata";

export const metadataOrigins = ["seed", "mixed", "handwritten"] as const;
export type MetadataOriginName = (typeof metadataOrigins)[number];

const maxLabelLength = 100;

/** "Algorithms, data structures; algorithms" → ["Algorithms", "data structures"]: split, cleaned, deduplicated. */
export function parseSkillsText(text: string): string[] {
  return distinctLabels(text.split(/[,;\n]/));
}

/** The entry schema for a project whose "Skills per instruction" setting is maxSkills. */
export function metadataEntrySchema(maxSkills: number) {
  return z.object({
    useCase: z
      .string({ error: "Enter a use case" })
      .transform(cleanLabel)
      .pipe(
        z
          .string()
          .min(1, "Enter a use case, e.g. question answering")
          .max(maxLabelLength, `Keep the use case under ${maxLabelLength} characters`),
      ),
    skills: z
      .string({ error: "Enter the skills" })
      .transform(parseSkillsText)
      .pipe(
        z
          .array(z.string().max(maxLabelLength, `Keep each skill under ${maxLabelLength} characters`))
          .min(1, "Enter at least one skill, e.g. algorithms, communication")
          .max(
            maxSkills,
            `At most ${maxSkills} skill${maxSkills === 1 ? "" : "s"} (the project's "Skills per instruction" setting)`,
          ),
      ),
  });
}

export type MetadataEntryInput = z.output<ReturnType<typeof metadataEntrySchema>>;

/** The form's values: skills as typed, comma-separated. */
export interface MetadataEntryFormValues {
  useCase: string;
  skills: string;
}

export const metadataListQuerySchema = z.object({
  projectId: z.coerce.number().int().positive(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
  origin: z.enum(metadataOrigins).optional(),
  /** Substring of the use case or of a skill. */
  search: z.string().trim().max(200).optional(),
  /** Exact use case or skill (case-insensitive), set by clicking a chart bar. */
  useCase: z.string().trim().max(200).optional(),
  skill: z.string().trim().max(200).optional(),
});

export type MetadataListQuery = z.output<typeof metadataListQuerySchema>;

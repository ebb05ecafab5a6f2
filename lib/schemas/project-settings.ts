// The Method settings form: the project's name and task, and the paper's parameters, checked in the browser and
// in the server action with the same schema (bounds from METHOD_SETTING_SPECS, then methodSettingsSchema).
import { z } from "zod";
import {
  DEFAULT_METHOD_SETTINGS,
  METHOD_SETTING_KEYS,
  METHOD_SETTING_SPECS,
  methodSettingsSchema,
  type MethodSettingKey,
  type MethodSettings,
} from "@/lib/codeclm/settings";
import { requiredNumber } from "@/lib/schemas/form-number";
import { projectNameSchema } from "@/lib/schemas/project";

const settingFields = Object.fromEntries(
  METHOD_SETTING_KEYS.map((key) => {
    const spec = METHOD_SETTING_SPECS[key];
    const field = requiredNumber({
      label: spec.label.toLowerCase(),
      min: spec.min,
      max: spec.max,
      integer: spec.integer,
    });
    return [key, field];
  }),
) as Record<MethodSettingKey, ReturnType<typeof requiredNumber>>;

/** Form strings (or numbers) → MethodSettings, with a message per field naming its bounds. */
// (The cast: methodSettingsSchema takes a partial object, and pipe wants an input exactly as wide as its source.)
export const methodSettingsFormSchema = z
  .object(settingFields)
  .pipe(methodSettingsSchema as z.ZodType<MethodSettings, MethodSettings>);

export const taskDescriptionSchema = z
  .string()
  .trim()
  .max(4000, "Keep the task description under 4,000 characters");

export const projectSettingsInputSchema = z.object({
  projectId: z.number().int().positive(),
  name: projectNameSchema,
  taskDescription: taskDescriptionSchema,
  settings: methodSettingsFormSchema,
});

export type MethodSettingsFormValues = Record<MethodSettingKey, string>;

export function toSettingsFormValues(settings: MethodSettings): MethodSettingsFormValues {
  return Object.fromEntries(
    METHOD_SETTING_KEYS.map((key) => [key, String(settings[key])]),
  ) as MethodSettingsFormValues;
}

export const defaultSettingsFormValues: MethodSettingsFormValues =
  toSettingsFormValues(DEFAULT_METHOD_SETTINGS);

import { describe, expect, it } from "vitest";
import { DEFAULT_METHOD_SETTINGS } from "@/lib/codeclm/settings";
import { fieldErrorsOf } from "@/lib/schemas/form-errors";
import {
  defaultSettingsFormValues,
  projectSettingsInputSchema,
  toSettingsFormValues,
} from "@/lib/schemas/project-settings";

const valid = { projectId: 1, name: "Support bot", taskDescription: "", settings: defaultSettingsFormValues };

function errorsFor(settings: Record<string, string>) {
  const parsed = projectSettingsInputSchema.safeParse({
    ...valid,
    settings: { ...defaultSettingsFormValues, ...settings },
  });
  return parsed.success ? {} : fieldErrorsOf(parsed.error);
}

describe("projectSettingsInputSchema", () => {
  it("round-trips the paper's defaults through the form's strings", () => {
    expect(defaultSettingsFormValues.gapThreshold).toBe("3");
    expect(projectSettingsInputSchema.parse(valid).settings).toEqual(DEFAULT_METHOD_SETTINGS);
    expect(toSettingsFormValues(DEFAULT_METHOD_SETTINGS)).toEqual(defaultSettingsFormValues);
  });

  it("puts a message naming the bounds next to each bad parameter", () => {
    expect(errorsFor({ poolSize: "0", gapThreshold: "9", temperature: "" })).toEqual({
      "settings.poolSize": "Use a number from 1 to 5,000",
      "settings.gapThreshold": "Use a number from 0 to 8.5",
      "settings.temperature": "Enter temperature",
    });
    expect(errorsFor({ maxIterations: "2.5" })["settings.maxIterations"]).toBe(
      "Use a whole number from 1 to 10",
    );
    expect(errorsFor({ randomSeed: "abc" })["settings.randomSeed"]).toMatch(/Enter a number/);
  });

  it("needs a project name", () => {
    const parsed = projectSettingsInputSchema.safeParse({ ...valid, name: "  " });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(fieldErrorsOf(parsed.error).name).toBe("Give the project a name");
  });
});

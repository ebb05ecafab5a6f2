import { describe, expect, it } from "vitest";
import {
  DEFAULT_METHOD_SETTINGS,
  METHOD_SETTING_KEYS,
  METHOD_SETTING_SPECS,
  methodSettingsSchema,
} from "./settings";

describe("method settings", () => {
  it("defaults to the paper's values", () => {
    expect(DEFAULT_METHOD_SETTINGS).toEqual({
      poolSize: 200,
      maxSkills: 3,
      rubricCount: 4,
      actionCount: 4,
      maxIterations: 4,
      gapThreshold: 3,
      temperature: 0.7,
      judgeTemperature: 0,
      targetDatasetSize: 2000,
      randomSeed: 0,
      nearDuplicateThreshold: 0.7,
      contaminationNgram: 13,
      dropInconsistentVerdicts: 0,
      weightBySeeds: 1,
      selfRubrics: 1,
      contrastiveFiltering: 1,
    });
  });

  it("has a one-line explanation and sane bounds for every field", () => {
    expect(METHOD_SETTING_KEYS).toHaveLength(16);
    for (const key of METHOD_SETTING_KEYS) {
      const spec = METHOD_SETTING_SPECS[key];
      expect(spec.explanation.length).toBeGreaterThan(20);
      expect(spec.explanation).not.toContain("\n");
      expect(spec.min).toBeLessThanOrEqual(spec.defaultValue);
      expect(spec.max).toBeGreaterThanOrEqual(spec.defaultValue);
    }
  });

  it("rejects out-of-bounds and non-integer values", () => {
    expect(methodSettingsSchema.safeParse({ poolSize: 0 }).success).toBe(false);
    expect(methodSettingsSchema.safeParse({ poolSize: 10.5 }).success).toBe(false);
    expect(methodSettingsSchema.safeParse({ gapThreshold: 2.5 }).success).toBe(true);
    expect(methodSettingsSchema.safeParse({ gapThreshold: -1 }).success).toBe(false);
    expect(methodSettingsSchema.safeParse({ temperature: 3 }).success).toBe(false);
    expect(methodSettingsSchema.safeParse({ maxIterations: 4, targetDatasetSize: 500 }).data).toMatchObject({
      maxIterations: 4,
      targetDatasetSize: 500,
      poolSize: 200,
    });
  });
});

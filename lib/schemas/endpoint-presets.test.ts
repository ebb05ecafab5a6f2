import { describe, expect, it } from "vitest";
import { endpointFormDefaults, endpointInputSchema } from "@/lib/schemas/endpoint";
import { applyPreset, endpointPresets } from "@/lib/schemas/endpoint-presets";

describe("endpoint presets", () => {
  it("fill the server fields and keep what the user set (role, model, limits)", () => {
    const before = {
      role: "strong" as const,
      ...endpointFormDefaults,
      model: "gpt-5-mini",
      maxTokens: "16000",
    };
    const after = applyPreset(before, "openai");
    expect(after).toMatchObject({
      role: "strong",
      model: "gpt-5-mini",
      maxTokens: "16000",
      baseUrl: "https://api.openai.com/v1",
      apiKeyEnv: "OPENAI_API_KEY",
    });
    expect(applyPreset(before, "no-such-preset")).toEqual(before);
  });

  it("every preset gives values the form accepts (once a model is named)", () => {
    for (const preset of endpointPresets) {
      const values = applyPreset({ role: "target", ...endpointFormDefaults, model: "m" }, preset.id);
      const parsed = endpointInputSchema.safeParse(values);
      expect(parsed.success, `${preset.id}: ${parsed.error?.message ?? ""}`).toBe(true);
    }
  });
});

import { describe, expect, it } from "vitest";
import { keyVariableProblem, readApiKey } from "@/lib/env";

// The default allow-list (CODECLM_KEY_VARS unset in tests): *_API_KEY.
describe("key variable allow-list", () => {
  it("allows names matching the operator's patterns", () => {
    expect(keyVariableProblem("OPENAI_API_KEY")).toBeNull();
    expect(keyVariableProblem("TOGETHER_API_KEY")).toBeNull();
  });

  it("refuses the app's own settings even when a pattern would match them", () => {
    expect(keyVariableProblem("DATABASE_URL")).toMatch(/DATABASE_URL holds the app's own settings/);
    expect(keyVariableProblem("CODECLM_API_KEY")).toMatch(/app's own settings/);
    expect(keyVariableProblem("BETTER_AUTH_SECRET")).toMatch(/app's own settings/);
  });

  it("refuses other variables and says what is allowed", () => {
    expect(keyVariableProblem("PATH")).toBe(
      "PATH is not an allowed key variable: the operator allows *_API_KEY (CODECLM_KEY_VARS)",
    );
    expect(keyVariableProblem("HOME")).toMatch(/not an allowed key variable/);
    expect(keyVariableProblem("1BAD")).toMatch(/not a valid environment variable name/);
  });

  it("never reads a refused variable", () => {
    expect(() => readApiKey("PATH")).toThrow(/not an allowed key variable/);
    expect(readApiKey(null)).toBeUndefined();
  });
});

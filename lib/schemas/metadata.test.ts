import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "@/lib/schemas/form-errors";
import { metadataEntrySchema, metadataListQuerySchema, parseSkillsText } from "@/lib/schemas/metadata";

describe("parseSkillsText", () => {
  it("splits on commas, semicolons and lines, cleans and dedupes case-insensitively", () => {
    expect(parseSkillsText(" Algorithms, data  structures;algorithms,\n- Communication., ,")).toEqual([
      "Algorithms",
      "data structures",
      "Communication",
    ]);
  });
});

describe("metadataEntrySchema", () => {
  it("cleans the use case and caps the skills at the project's setting", () => {
    const schema = metadataEntrySchema(2);
    expect(schema.parse({ useCase: '  "Question answering." ', skills: "history, reasoning" })).toEqual({
      useCase: "Question answering",
      skills: ["history", "reasoning"],
    });
    const parsed = schema.safeParse({ useCase: "", skills: "a, b, c" });
    expect(parsed.success).toBe(false);
    if (!parsed.success) {
      expect(fieldErrorsOf(parsed.error)).toEqual({
        useCase: "Enter a use case, e.g. question answering",
        skills: 'At most 2 skills (the project\'s "Skills per instruction" setting)',
      });
    }
  });

  it("needs at least one skill with a letter or digit", () => {
    const parsed = metadataEntrySchema(3).safeParse({ useCase: "Coding", skills: " , ;" });
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(fieldErrorsOf(parsed.error).skills).toMatch(/at least one skill/);
  });
});

describe("metadataListQuerySchema", () => {
  it("coerces the query string and rejects unknown origins", () => {
    expect(metadataListQuerySchema.parse({ projectId: "3", page: "2" })).toMatchObject({
      projectId: 3,
      page: 2,
      pageSize: 50,
    });
    expect(metadataListQuerySchema.safeParse({ projectId: "3", origin: "imported" }).success).toBe(false);
  });
});

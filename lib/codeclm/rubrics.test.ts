import { describe, expect, it } from "vitest";
import { buildRubricsPrompt, validateRubrics } from "./rubrics";

const metadata = { useCase: "business plan development", skills: ["market research", "planning"] };
const counts = { rubricCount: 4, actionCount: 4 };

describe("buildRubricsPrompt", () => {
  it("includes the metadata, the counts and the judge role", () => {
    const spec = buildRubricsPrompt(metadata, { rubricCount: 5, actionCount: 3, taskDescription: "retail" });
    const all = spec.messages.map((m) => m.content).join("\n");
    expect(all).toContain("instruction judge with domain expertise");
    expect(all).toContain("generate 5 domain-specific rubrics");
    expect(all).toContain("generate 3 corresponding actions");
    expect(all).toContain("The use case of the instruction: business plan development.");
    expect(all).toContain("The skills required to solve the instruction: market research, planning.");
    expect(all).toContain("retail");
  });

  it("defaults to the paper's 4 rubrics and 4 actions, and its schema rejects too few", () => {
    const spec = buildRubricsPrompt(metadata);
    expect(spec.messages[0]!.content).toContain("generate 4 domain-specific rubrics");
    const four = ["a", "b", "c", "d"];
    expect(spec.schema!.safeParse({ rubrics: four, actions: four }).success).toBe(true);
    expect(spec.schema!.safeParse({ rubrics: four, actions: ["a", "b", "c"] }).success).toBe(false);
    expect(spec.schema!.safeParse({ rubrics: four }).success).toBe(false);
  });
});

describe("validateRubrics", () => {
  it("cleans items and truncates extras to the counts", () => {
    const result = validateRubrics(
      {
        rubrics: [
          "1. Rubric: Depth of market analysis.",
          "Use of data",
          "Competitor coverage",
          "Risk",
          "Extra",
        ],
        actions: [
          "Action: Add a SWOT analysis",
          "- Include comparison with market competitors",
          "c",
          "d",
          "e",
          "f",
        ],
      },
      counts,
    );
    expect(result.ok).toBe(true);
    expect(result.rubrics).toEqual([
      "Depth of market analysis.",
      "Use of data",
      "Competitor coverage",
      "Risk",
    ]);
    expect(result.actions).toEqual([
      "Add a SWOT analysis",
      "Include comparison with market competitors",
      "c",
      "d",
    ]);
  });

  it("is invalid with too few distinct items after cleaning", () => {
    const result = validateRubrics(
      { rubrics: ["a", "A", " ", "b", "c"], actions: ["x", "y", "z", "w"] },
      counts,
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain("3 distinct rubrics, 4 needed");
  });
});

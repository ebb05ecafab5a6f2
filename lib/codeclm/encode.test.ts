import { describe, expect, it } from "vitest";
import { buildEncodePrompt, encodeOutputSchema, normalizeMetadata } from "./encode";

describe("buildEncodePrompt", () => {
  it("is few-shot with three demonstrations and ends with the seed", () => {
    const spec = buildEncodePrompt({ instruction: "Summarize this contract.", input: "CLAUSE 1: ..." });
    const roles = spec.messages.map((m) => m.role);
    expect(roles).toEqual(["system", "user", "assistant", "user", "assistant", "user", "assistant", "user"]);
    const last = spec.messages.at(-1)!.content;
    expect(last).toContain("Summarize this contract.");
    expect(last).toContain("CLAUSE 1: ...");
    expect(spec.name).toBe("encode");
    expect(spec.version).toMatch(/^encode@\d+$/);
  });

  it("states the paper's constraints on skills", () => {
    const system = buildEncodePrompt({ instruction: "x" }).messages[0]!.content;
    expect(system).toContain("instruction analyzer");
    expect(system).toContain("at most 3 skills");
    expect(system).toContain("transferable");
    expect(system).toContain("(2-3 words)");
    expect(system).toContain('Avoid using "skill", "knowledge"');
  });

  it("demonstrations are valid outputs with the consistent use_case label, capped to maxSkills", () => {
    const spec = buildEncodePrompt({ instruction: "x" }, { maxSkills: 1 });
    const demos = spec.messages.filter((m) => m.role === "assistant").map((m) => JSON.parse(m.content));
    expect(demos.map((d) => d.use_case)).toEqual([
      "creative writing",
      "code generation",
      "general knowledge question answering",
    ]);
    for (const demo of demos) {
      expect(encodeOutputSchema.safeParse(demo).success).toBe(true);
      expect(demo.skills).toHaveLength(1);
    }
    expect(spec.messages[0]!.content).toContain("at most 1 skill,");
  });

  it("adds the task description only when set", () => {
    const withTask = buildEncodePrompt(
      { instruction: "x" },
      { taskDescription: "customer support for a bank" },
    );
    expect(withTask.messages[0]!.content).toContain("customer support for a bank");
    const without = buildEncodePrompt({ instruction: "x" }, { taskDescription: "  " });
    expect(without.messages[0]!.content).not.toContain("Context:");
  });

  it("omits the input block when there is no input", () => {
    expect(buildEncodePrompt({ instruction: "Hi", input: "" }).messages.at(-1)!.content).not.toContain(
      "Input:",
    );
  });
});

describe("encodeOutputSchema", () => {
  it("accepts good outputs and rejects bad ones", () => {
    expect(encodeOutputSchema.safeParse({ use_case: "code generation", skills: ["python"] }).success).toBe(
      true,
    );
    expect(encodeOutputSchema.safeParse({ use_case: "code generation", skills: [] }).success).toBe(false);
    expect(encodeOutputSchema.safeParse({ use_case: "code generation", skills: "python" }).success).toBe(
      false,
    );
    expect(encodeOutputSchema.safeParse({ useCase: "code generation", skills: ["python"] }).success).toBe(
      false,
    );
  });
});

describe("normalizeMetadata", () => {
  it("trims, drops empty and case-insensitive duplicate skills, caps to maxSkills", () => {
    const metadata = normalizeMetadata(
      {
        use_case: "  Code generation. ",
        skills: [" Python", "python", "", "  ", "1. algorithms", "SQL", "regex"],
      },
      { maxSkills: 3 },
    );
    expect(metadata).toEqual({ useCase: "Code generation", skills: ["Python", "algorithms", "SQL"] });
  });

  it("is null without a use case or without skills", () => {
    expect(normalizeMetadata({ use_case: " ", skills: ["python"] })).toBeNull();
    expect(normalizeMetadata({ use_case: "chat", skills: ["", " - "] })).toBeNull();
  });
});

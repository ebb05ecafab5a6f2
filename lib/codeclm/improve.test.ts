import { describe, expect, it } from "vitest";
import { buildImprovePrompt, cleanImprovedInstruction, improveOutputSchema, sampleAction } from "./improve";
import { createRng, deriveRng } from "./random";
import { buildRespondPrompt } from "./respond";

const actions = ["Add a SWOT analysis", "Include competitors", "Require a budget", "Add a timeline"];

describe("buildImprovePrompt", () => {
  it("includes the action, the instruction and the paper's constraints", () => {
    const spec = buildImprovePrompt({
      instruction: "Write a plan for a bakery.",
      action: "Add a SWOT analysis",
    });
    const all = spec.messages.map((m) => m.content).join("\n");
    expect(all).toContain("instruction improver with domain expertise");
    expect(all).toContain("Improving action: Add a SWOT analysis");
    expect(all).toContain("Write a plan for a bakery.");
    expect(all).toContain("more challenging");
    expect(all).toContain("reasonable and self-consistent");
    expect(all).toContain("Do not directly copy words or phrases in the action");
    expect(improveOutputSchema.safeParse({ improved_instruction: "x" }).success).toBe(true);
    expect(improveOutputSchema.safeParse({ instruction: "x" }).success).toBe(false);
  });
});

describe("sampleAction", () => {
  it("is reproducible per item and seed, and differs across seeds", () => {
    const choices = (runSeed: number) =>
      Array.from({ length: 30 }, (_, id) => sampleAction(actions, deriveRng(runSeed, "improve", id, 2)));
    expect(choices(0)).toEqual(choices(0));
    expect(choices(0)).not.toEqual(choices(1));
  });

  it("samples uniformly with replacement", () => {
    const rng = createRng(5);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const action = sampleAction(actions, rng);
      counts.set(action, (counts.get(action) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    for (const count of counts.values()) expect(Math.abs(count - 1000)).toBeLessThan(150);
    expect(() => sampleAction([], rng)).toThrow(RangeError);
  });
});

describe("cleanImprovedInstruction", () => {
  it("returns the rewrite, or null when empty or unchanged", () => {
    expect(
      cleanImprovedInstruction({ improved_instruction: " Improved instruction: Do more. " }, "Do it."),
    ).toBe("Do more.");
    expect(cleanImprovedInstruction({ improved_instruction: "  " }, "Do it.")).toBeNull();
    expect(cleanImprovedInstruction({ improved_instruction: "do it" }, "Do it.")).toBeNull();
  });
});

describe("buildRespondPrompt", () => {
  it("sends the instruction (and input) as a user message, with an optional system prompt", () => {
    const plain = buildRespondPrompt({ instruction: "Say hi." });
    expect(plain.messages).toEqual([{ role: "user", content: "Say hi." }]);
    expect(plain.schema).toBeNull();
    const full = buildRespondPrompt({
      instruction: "Translate:",
      input: "bonjour",
      systemPrompt: "Be brief.",
    });
    expect(full.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "Translate:\n\nbonjour" },
    ]);
  });
});

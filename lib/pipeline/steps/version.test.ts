import { describe, expect, it } from "vitest";
import { sampleAction } from "@/lib/codeclm/improve";
import { deriveRng } from "@/lib/codeclm/random";
import { dropReasonFor, improveRngLabels } from "@/lib/pipeline/steps/version";

describe("version step", () => {
  it("samples a chain's rewrite from its identity, not from database ids", () => {
    const actions = [
      "add constraints",
      "ask for a comparison",
      "require step-by-step reasoning",
      "add a SWOT analysis",
    ];
    const version = {
      metadataKey: "business planning | market research",
      rootSlotKey: "decode:17:1:3",
      iteration: 2,
    };
    // The same chain in another project has other ids (metadata 98 here) but the same key, round and index.
    const sameChainElsewhere = { ...version, rootSlotKey: "decode:98:1:3" };
    expect(improveRngLabels(version)).toEqual(improveRngLabels(sameChainElsewhere));
    const pick = (labels: Array<string | number>) => sampleAction(actions, deriveRng(42, ...labels));
    expect(pick(improveRngLabels(version))).toBe(pick(improveRngLabels(sameChainElsewhere)));
    // Each iteration and each slot draws on its own stream.
    const picks = new Set(
      [1, 2, 3, 4, 5, 6].flatMap((index) =>
        [2, 3, 4].map((iteration) =>
          pick(improveRngLabels({ ...version, rootSlotKey: `decode:17:1:${index}`, iteration })),
        ),
      ),
    );
    expect(picks.size).toBeGreaterThan(1);
  });

  it("says why a version was dropped", () => {
    expect(dropReasonFor({ gap: -1.25 }, 3, 4)).toBe(
      "No clear quality gap after 4 iterations: |G| = 1.25 ≤ θ = 3",
    );
    expect(dropReasonFor({ gap: 0.5 }, 3, 1)).toBe(
      "No clear quality gap after 1 iteration: |G| = 0.50 ≤ θ = 3",
    );
  });
});

import { describe, expect, it } from "vitest";
import {
  allocateByWeight,
  buildMetadataPool,
  dedupeEncoded,
  seedDistributionWeights,
  selectSeedEntries,
  synonymKey,
  metadataKey,
  mixAndMatch,
  mixAndMatchCapacity,
  type EncodedMetadata,
} from "./pool";
import { createRng, deriveRng } from "./random";

const encoded: EncodedMetadata[] = [
  { useCase: "code generation", skills: ["python", "algorithms"], seedId: 1 },
  { useCase: "creative writing", skills: ["role-play", "sports"], seedId: 2 },
  { useCase: "question answering", skills: ["machine learning", "academic writing"], seedId: 3 },
  { useCase: "Code Generation", skills: ["Algorithms", "python "], seedId: 4 }, // duplicate of seed 1
  { useCase: "code generation", skills: ["sql"], seedId: 5 },
];

describe("metadataKey", () => {
  it("ignores case, spacing, punctuation and skill order", () => {
    expect(metadataKey(" Code  Generation.", ["Python", "algorithms"])).toBe(
      metadataKey("code generation", ["algorithms", "python"]),
    );
    expect(metadataKey("code generation", ["python"])).toBe("code generation | python");
    expect(metadataKey("code generation", ["python"])).not.toBe(metadataKey("code review", ["python"]));
  });
});

describe("dedupeEncoded", () => {
  it("removes exact duplicates and empty entries, in seedId order whatever the input order", () => {
    const withBad = [
      ...encoded,
      { useCase: " ", skills: ["x"], seedId: 6 },
      { useCase: "y", skills: [], seedId: 7 },
    ];
    const forward = dedupeEncoded(withBad, { maxSkills: 3 });
    const backward = dedupeEncoded([...withBad].reverse(), { maxSkills: 3 });
    expect(forward.entries.map((e) => e.seedId)).toEqual([1, 2, 3, 5]);
    expect(backward).toEqual(forward);
    expect(forward.duplicatesRemoved).toBe(1);
    expect(forward.invalidRemoved).toBe(2);
    expect(forward.entries.every((e) => e.origin === "seed")).toBe(true);
  });

  it("caps skills to maxSkills", () => {
    const { entries } = dedupeEncoded([{ useCase: "u", skills: ["a", "b", "c", "d"], seedId: 1 }], {
      maxSkills: 2,
    });
    expect(entries[0]!.skills).toEqual(["a", "b"]);
  });
});

describe("mixAndMatchCapacity", () => {
  it("counts use cases × non-empty skill subsets up to maxSkills", () => {
    expect(mixAndMatchCapacity(2, 4, 3)).toBe(2 * (4 + 6 + 4));
    expect(mixAndMatchCapacity(1, 2, 5)).toBe(3);
    expect(mixAndMatchCapacity(3, 10, 1)).toBe(30);
  });
});

describe("buildMetadataPool", () => {
  it("keeps the seed entries first, then mixes up to poolSize with no duplicate keys", () => {
    const pool = buildMetadataPool(encoded, { poolSize: 20, maxSkills: 3, rng: createRng(0) });
    expect(pool.entries).toHaveLength(20);
    expect(pool.seedCount).toBe(4);
    expect(pool.mixedCount).toBe(16);
    expect(pool.exhausted).toBe(false);
    expect(pool.entries.slice(0, 4).map((e) => e.origin)).toEqual(["seed", "seed", "seed", "seed"]);
    expect(new Set(pool.entries.map((e) => e.key)).size).toBe(20);
  });

  it("mixes one known use case with 1..maxSkills distinct known skills (many seeds)", () => {
    const useCases = new Set(["code generation", "creative writing", "question answering"]);
    const skills = new Set([
      "python",
      "algorithms",
      "role-play",
      "sports",
      "machine learning",
      "academic writing",
      "sql",
    ]);
    for (let seed = 0; seed < 100; seed++) {
      const maxSkills = 1 + (seed % 3);
      const pool = buildMetadataPool(encoded, { poolSize: 30, maxSkills, rng: createRng(seed) });
      const keys = new Set<string>();
      for (const entry of pool.entries) {
        expect(keys.has(entry.key)).toBe(false);
        keys.add(entry.key);
        expect(entry.key).toBe(metadataKey(entry.useCase, entry.skills));
        if (entry.origin !== "mixed") continue;
        expect(useCases.has(entry.useCase.toLowerCase())).toBe(true);
        expect(entry.skills.length).toBeGreaterThanOrEqual(1);
        expect(entry.skills.length).toBeLessThanOrEqual(maxSkills);
        expect(new Set(entry.skills).size).toBe(entry.skills.length);
        for (const skill of entry.skills) expect(skills.has(skill.toLowerCase())).toBe(true);
        expect(entry.seedId).toBeNull();
      }
      expect(pool.entries.length).toBeLessThanOrEqual(30);
    }
  });

  it("never exceeds poolSize, sampling the seed entries (not the first rows) when they alone exceed it", () => {
    const pool = buildMetadataPool(encoded, { poolSize: 2, maxSkills: 3, rng: createRng(0) });
    expect(pool.entries).toHaveLength(2);
    expect(pool.mixedCount).toBe(0);
    expect(pool.exhausted).toBe(false);
    const chosen = (seed: number) =>
      buildMetadataPool(encoded, { poolSize: 2, maxSkills: 3, rng: deriveRng(seed, "pool") }).entries.map(
        (e) => e.seedId,
      );
    expect(chosen(7)).toEqual(chosen(7));
    const seen = new Set(Array.from({ length: 30 }, (_, seed) => chosen(seed)).flat());
    expect([...seen].sort()).toEqual([1, 2, 3, 5]); // every seed entry can be drawn, not only the first two
  });

  it("reports exhaustion when every combination is taken", () => {
    const small: EncodedMetadata[] = [
      { useCase: "translation", skills: ["french"], seedId: 1 },
      { useCase: "translation", skills: ["german"], seedId: 2 },
    ];
    // 1 use case × {french}, {german}, {french, german} = 3 combinations.
    const pool = buildMetadataPool(small, { poolSize: 10, maxSkills: 3, rng: createRng(5) });
    expect(pool.entries).toHaveLength(3);
    expect(pool.exhausted).toBe(true);
    expect(pool.entries[2]!.key).toBe("translation | french, german");
    // The capacity check stops sampling early instead of burning the attempt budget.
    expect(pool.attempts).toBeLessThan(1000);
  });

  it("reports exhaustion when the attempt budget runs out", () => {
    const result = mixAndMatch({
      useCases: ["u"],
      skills: ["a", "b", "c", "d", "e"],
      count: 31,
      maxSkills: 5,
      rng: createRng(1),
      maxAttempts: 3,
    });
    expect(result.attempts).toBe(3);
    expect(result.exhausted).toBe(true);
    expect(result.entries.length).toBeLessThanOrEqual(3);
  });

  it("never produces excluded keys", () => {
    const excluded = buildMetadataPool(encoded, { poolSize: 30, maxSkills: 3, rng: createRng(3) })
      .entries.filter((e) => e.origin === "mixed")
      .map((e) => e.key);
    for (let seed = 0; seed < 20; seed++) {
      const pool = buildMetadataPool(encoded, {
        poolSize: 30,
        maxSkills: 3,
        rng: createRng(seed),
        excludeKeys: excluded,
      });
      for (const entry of pool.entries) expect(excluded).not.toContain(entry.key);
    }
  });

  it("is reproducible from the seed and input order does not matter", () => {
    const build = (seed: number, input = encoded) =>
      buildMetadataPool(input, { poolSize: 25, maxSkills: 3, rng: deriveRng(seed, "pool") }).entries;
    expect(build(42)).toEqual(build(42));
    expect(build(42, [...encoded].reverse())).toEqual(build(42));
    expect(build(42)).not.toEqual(build(43));
  });

  it("samples use cases in proportion to how many seed entries have them", () => {
    const skewed: EncodedMetadata[] = [
      ...["a", "b", "c", "d", "e", "f", "g", "h", "i"].map((skill, i) => ({
        useCase: "frequent",
        skills: [skill],
        seedId: i + 1,
      })),
      { useCase: "rare", skills: ["j"], seedId: 100 },
    ];
    // 2 use cases × 175 skill subsets: far from exhausted, so the draw frequencies show.
    const pool = buildMetadataPool(skewed, { poolSize: 110, maxSkills: 3, rng: createRng(8) });
    const mixed = pool.entries.filter((e) => e.origin === "mixed");
    const frequentShare = mixed.filter((e) => e.useCase === "frequent").length / mixed.length;
    expect(frequentShare).toBeGreaterThan(0.75);
  });
});

describe("the seed distribution", () => {
  it("merges near-synonym use cases and skills, counting the seeds each entry stands for", () => {
    expect(synonymKey("Question answering")).toBe(synonymKey("answering questions"));
    expect(synonymKey("question-answering")).toBe(synonymKey("Question Answering"));
    expect(synonymKey("code generation")).not.toBe(synonymKey("code review"));
    const { entries, duplicatesRemoved } = dedupeEncoded(
      [
        { useCase: "question answering", skills: ["history facts"], seedId: 1 },
        { useCase: "Answering questions", skills: ["history fact"], seedId: 2 },
        { useCase: "question-answering", skills: ["history facts"], seedId: 3 },
        { useCase: "poetry", skills: ["rhyme"], seedId: 4 },
      ],
      { maxSkills: 3 },
    );
    expect(entries.map((entry) => [entry.useCase, entry.skills, entry.seedCount])).toEqual([
      ["question answering", ["history facts"], 3],
      ["poetry", ["rhyme"], 1],
    ]);
    expect(duplicatesRemoved).toBe(2);
  });

  it("samples seed entries beyond the pool size by how many seeds they stand for", () => {
    const entries = [
      { useCase: "a", skills: ["x"], key: "a | x", origin: "seed" as const, seedId: 1, seedCount: 9 },
      { useCase: "b", skills: ["y"], key: "b | y", origin: "seed" as const, seedId: 2, seedCount: 1 },
    ];
    const firstPicked = (weighted: boolean) =>
      Array.from({ length: 200 }, (_, seed) =>
        selectSeedEntries(entries, { poolSize: 1, rng: deriveRng(seed, "pool"), weighted }),
      ).filter((picked) => picked[0]!.seedId === 1).length;
    expect(firstPicked(true)).toBeGreaterThan(160); // about 90%
    expect(firstPicked(false)).toBeGreaterThan(70); // about 50%
    expect(firstPicked(false)).toBeLessThan(130);
    expect(selectSeedEntries(entries, { poolSize: 5, rng: createRng(1), weighted: true })).toEqual(entries);
  });

  it("gives each use case the share of basic instructions its seeds have", () => {
    // 3 of 4 seeds are question answering; two pool entries share that use case, one is poetry.
    const weights = seedDistributionWeights(
      [{ useCase: "question answering" }, { useCase: "Question answering" }, { useCase: "poetry" }],
      ["question answering", "question answering", "question answering", "poetry"],
    );
    expect(weights.map((weight) => Number(weight.toFixed(3)))).toEqual([0.375, 0.375, 0.25]);
    expect(allocateByWeight(40, weights, { min: 1, max: 50 })).toEqual([15, 15, 10]);
    expect(allocateByWeight(10, [0.5, 0.3, 0.2], { min: 1, max: 50 })).toEqual([5, 3, 2]);
    // Bounds win over the weights: every entry gets at least one, none more than the cap.
    expect(allocateByWeight(3, [0.98, 0.01, 0.01], { min: 1, max: 2 })).toEqual([2, 1, 1]);
  });
});

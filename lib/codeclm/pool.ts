// The metadata pool (paper §4.1, App. A.3): the encoded seed metadata, exact duplicates removed, enlarged by
// mix-and-match (one use case + one or more skills sampled without replacement from the union of all skills)
// up to poolSize. The strong-LLM plausibility check of mixed entries lives in plausibility.ts.
import { assertIntegerAtLeast } from "./checks";
import { cleanLabel, distinctLabels, labelKey, type Metadata } from "./metadata";
import type { Rng } from "./random";

export type MetadataOrigin = "seed" | "mixed";

export type EncodedMetadata = Metadata & { seedId: number | null };

export type PoolEntry = Metadata & {
  key: string;
  origin: MetadataOrigin;
  seedId: number | null;
  /** Seeds whose metadata this entry is (exact duplicates and near-synonyms merged into it); 0 for mixed ones. */
  seedCount?: number;
};

const synonymStopwords = new Set(["a", "an", "and", "the", "of", "for", "to", "in", "on", "with", "&"]);

/**
 * Near-synonym form of a use case or skill: "Question answering", "answering questions" and "question-answering"
 * agree. Lower case, words only, stop words out, a plural or -ing ending cut, the words sorted.
 */
export function synonymKey(label: string): string {
  const words = labelKey(label).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words
    .filter((word) => !synonymStopwords.has(word))
    .map((word) => word.replace(/(?:ing|ies|es|s)$/u, (ending) => (ending === "ies" ? "y" : "")))
    .filter(Boolean)
    .sort()
    .join(" ");
}

/** Normalized "use case | sorted skills": two entries with the same key are exact duplicates. */
export function metadataKey(useCase: string, skills: readonly string[]): string {
  const skillKeys = [...new Set(skills.map(labelKey).filter(Boolean))].sort();
  return `${labelKey(useCase)} | ${skillKeys.join(", ")}`;
}

/**
 * Encoded entries in a canonical order (by seedId, entries without one last, input order on ties) so the pool
 * does not depend on the order concurrent encode jobs finished. Labels are cleaned, skills capped to maxSkills;
 * entries without a use case or skill and exact duplicates (first kept) are removed.
 */
export function dedupeEncoded(
  encoded: readonly EncodedMetadata[],
  options: { maxSkills: number },
): { entries: PoolEntry[]; duplicatesRemoved: number; invalidRemoved: number } {
  const ordered = encoded
    .map((entry, position) => ({ entry, position }))
    .sort((a, b) => {
      const seedA = a.entry.seedId ?? Number.POSITIVE_INFINITY;
      const seedB = b.entry.seedId ?? Number.POSITIVE_INFINITY;
      return seedA === seedB ? a.position - b.position : seedA - seedB;
    });
  const entries: PoolEntry[] = [];
  const byKey = new Map<string, PoolEntry>();
  // Near-synonyms take the first spelling seen (in canonical order), so they merge into one entry.
  const spelling = new Map<string, string>();
  const canonical = (label: string) => {
    const key = synonymKey(label) || labelKey(label);
    if (!spelling.has(key)) spelling.set(key, label);
    return spelling.get(key)!;
  };
  let duplicatesRemoved = 0;
  let invalidRemoved = 0;
  for (const { entry } of ordered) {
    const cleanedUseCase = cleanLabel(entry.useCase);
    const skills = distinctLabels(distinctLabels(entry.skills).map(canonical)).slice(0, options.maxSkills);
    if (!cleanedUseCase || skills.length === 0) {
      invalidRemoved++;
      continue;
    }
    const useCase = canonical(cleanedUseCase);
    const key = metadataKey(useCase, skills);
    const existing = byKey.get(key);
    if (existing) {
      existing.seedCount = (existing.seedCount ?? 1) + 1;
      duplicatesRemoved++;
      continue;
    }
    const created: PoolEntry = { useCase, skills, key, origin: "seed", seedId: entry.seedId, seedCount: 1 };
    byKey.set(key, created);
    entries.push(created);
  }
  return { entries, duplicatesRemoved, invalidRemoved };
}

/**
 * The seed entries a pool starts from: all of them when they fit, else poolSize of them sampled without
 * replacement (weighted by how many seeds each stands for when `weighted`), so a large seed file is represented
 * as a whole instead of by its first rows. Order of the result: canonical (as dedupeEncoded gives them).
 */
export function selectSeedEntries(
  entries: readonly PoolEntry[],
  options: { poolSize: number; rng: Rng; weighted: boolean },
): PoolEntry[] {
  if (entries.length <= options.poolSize) return [...entries];
  const chosen = new Set<number>();
  const weights = entries.map((entry) => (options.weighted ? (entry.seedCount ?? 1) : 1));
  let remaining = weights.reduce((sum, weight) => sum + weight, 0);
  while (chosen.size < options.poolSize) {
    let draw = options.rng.nextFloat() * remaining;
    let index = 0;
    for (; index < entries.length; index++) {
      if (chosen.has(index)) continue;
      draw -= weights[index]!;
      if (draw < 0) break;
    }
    if (index >= entries.length) index = weights.findIndex((_, i) => !chosen.has(i)); // rounding at the end
    chosen.add(index);
    remaining -= weights[index]!;
  }
  return entries.filter((_, index) => chosen.has(index));
}

/**
 * How much of the seed distribution each pool entry carries: a use case covering 30% of the seeds gets 30% of
 * the weight, shared by the pool entries with that use case (seed and mixed alike). Entries whose use case no
 * seed has get the smallest seed share. Weights sum to 1.
 */
export function seedDistributionWeights(
  entries: readonly Pick<PoolEntry, "useCase">[],
  seedUseCases: readonly string[],
): number[] {
  if (entries.length === 0) return [];
  const seedShare = new Map<string, number>();
  for (const useCase of seedUseCases) {
    const key = labelKey(useCase);
    seedShare.set(key, (seedShare.get(key) ?? 0) + 1);
  }
  const entriesPer = new Map<string, number>();
  for (const entry of entries)
    entriesPer.set(labelKey(entry.useCase), (entriesPer.get(labelKey(entry.useCase)) ?? 0) + 1);
  const smallest = Math.min(...seedShare.values(), 1);
  const raw = entries.map((entry) => {
    const key = labelKey(entry.useCase);
    return (seedShare.get(key) ?? smallest) / entriesPer.get(key)!;
  });
  const total = raw.reduce((sum, weight) => sum + weight, 0);
  return raw.map((weight) => weight / total);
}

/**
 * Splits `total` whole units by weight (largest remainder), each at least `min` and at most `max`, so the
 * per-entry counts follow the weights and add up to the total when the bounds allow.
 */
export function allocateByWeight(
  total: number,
  weights: readonly number[],
  bounds: { min: number; max: number },
): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((acc, weight) => acc + weight, 0) || 1;
  const exact = weights.map((weight) => (total * weight) / sum);
  const counts = exact.map((value) => Math.min(bounds.max, Math.max(bounds.min, Math.floor(value))));
  let left = total - counts.reduce((acc, count) => acc + count, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let pass = 0; left > 0 && pass < 2; pass++) {
    for (const { index } of order) {
      if (left <= 0) break;
      if (counts[index]! < bounds.max) {
        counts[index]!++;
        left--;
      }
    }
  }
  return counts;
}

/** Number of distinct (use case, 1..maxSkills skills) combinations: the size of the mix-and-match space. */
export function mixAndMatchCapacity(useCaseCount: number, skillCount: number, maxSkills: number): number {
  let subsets = 0;
  let choose = 1; // C(skillCount, k), built incrementally
  for (let k = 1; k <= Math.min(maxSkills, skillCount); k++) {
    choose = (choose * (skillCount - k + 1)) / k;
    subsets += choose;
  }
  return useCaseCount * Math.round(subsets);
}

export type MixAndMatchResult = { entries: PoolEntry[]; exhausted: boolean; attempts: number };

/**
 * Up to `count` new mixed entries whose keys are not in `takenKeys`. A use case is drawn from `useCases` (with
 * repeats, so frequent seed use cases stay frequent), then k uniform in 1..min(maxSkills, |skills|), then k
 * distinct skills. Stops early (exhausted) when every combination is taken or after maxAttempts draws.
 */
export function mixAndMatch(options: {
  useCases: readonly string[];
  skills: readonly string[];
  count: number;
  maxSkills: number;
  rng: Rng;
  takenKeys?: ReadonlySet<string>;
  maxAttempts?: number;
}): MixAndMatchResult {
  const { count, maxSkills, rng } = options;
  const taken = options.takenKeys ?? new Set<string>();
  const skills = distinctLabels(options.skills);
  // One spelling per use case; the list keeps its repeats as sampling weights.
  const spellings = new Map<string, string>();
  const useCases: string[] = [];
  for (const raw of options.useCases) {
    const cleaned = cleanLabel(raw);
    const key = cleaned.toLowerCase();
    if (!key) continue;
    if (!spellings.has(key)) spellings.set(key, cleaned);
    useCases.push(spellings.get(key) as string);
  }
  const maxAttempts = options.maxAttempts ?? Math.max(1000, count * 100);
  if (count <= 0) return { entries: [], exhausted: false, attempts: 0 };
  if (useCases.length === 0 || skills.length === 0) return { entries: [], exhausted: true, attempts: 0 };

  const capacity = mixAndMatchCapacity(spellings.size, skills.length, maxSkills);
  const entries: PoolEntry[] = [];
  const generated = new Set<string>();
  const takenHits = new Set<string>(); // taken keys seen while sampling: a lower bound on taken keys in the space
  const largestK = Math.min(maxSkills, skills.length);
  let attempts = 0;
  while (entries.length < count && attempts < maxAttempts) {
    if (generated.size + takenHits.size >= capacity) break;
    attempts++;
    const useCase = rng.pick(useCases);
    const chosen = rng.sample(skills, 1 + rng.nextInt(largestK));
    const key = metadataKey(useCase, chosen);
    if (taken.has(key)) {
      takenHits.add(key);
      continue;
    }
    if (generated.has(key)) continue;
    generated.add(key);
    entries.push({ useCase, skills: chosen, key, origin: "mixed", seedId: null });
  }
  return { entries, exhausted: entries.length < count, attempts };
}

export type MetadataPool = {
  entries: PoolEntry[];
  seedCount: number;
  mixedCount: number;
  duplicatesRemoved: number;
  invalidRemoved: number;
  /** True when fewer than poolSize entries could be made: the mix-and-match space ran out. */
  exhausted: boolean;
  attempts: number;
};

/**
 * The deduplicated seed entries first (poolSize of them sampled if they alone exceed it), then mixed entries until
 * poolSize. `excludeKeys` are combinations never to produce again (e.g. judged implausible earlier).
 */
export function buildMetadataPool(
  encoded: readonly EncodedMetadata[],
  options: {
    poolSize: number;
    maxSkills: number;
    rng: Rng;
    excludeKeys?: Iterable<string>;
    maxAttempts?: number;
    /** Sample seed entries beyond poolSize by how many seeds each stands for (default) or uniformly. */
    weighted?: boolean;
  },
): MetadataPool {
  const { poolSize, maxSkills, rng } = options;
  assertIntegerAtLeast("poolSize", poolSize, 0);
  assertIntegerAtLeast("maxSkills", maxSkills, 1);
  const { entries: seedEntries, duplicatesRemoved, invalidRemoved } = dedupeEncoded(encoded, { maxSkills });
  const kept = selectSeedEntries(seedEntries, { poolSize, rng, weighted: options.weighted ?? true });
  const takenKeys = new Set<string>(options.excludeKeys);
  for (const entry of seedEntries) takenKeys.add(entry.key);
  const mixed = mixAndMatch({
    useCases: seedEntries.map((entry) => entry.useCase),
    skills: seedEntries.flatMap((entry) => entry.skills),
    count: poolSize - kept.length,
    maxSkills,
    rng,
    takenKeys,
    maxAttempts: options.maxAttempts,
  });
  return {
    entries: [...kept, ...mixed.entries],
    seedCount: kept.length,
    mixedCount: mixed.entries.length,
    duplicatesRemoved,
    invalidRemoved,
    exhausted: mixed.exhausted,
    attempts: mixed.attempts,
  };
}

// The metadata pool (paper §4.1, App. A.3): the encoded seed metadata, exact duplicates removed, enlarged by
// mix-and-match (one use case + one or more skills sampled without replacement from the union of all skills)
// up to poolSize. The strong-LLM plausibility check of mixed entries lives in plausibility.ts.
import { assertIntegerAtLeast } from "./checks";
import { cleanLabel, distinctLabels, labelKey, type Metadata } from "./metadata";
import type { Rng } from "./random";

export type MetadataOrigin = "seed" | "mixed";

export type EncodedMetadata = Metadata & { seedId: number | null };

export type PoolEntry = Metadata & { key: string; origin: MetadataOrigin; seedId: number | null };

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
  const keys = new Set<string>();
  let duplicatesRemoved = 0;
  let invalidRemoved = 0;
  for (const { entry } of ordered) {
    const useCase = cleanLabel(entry.useCase);
    const skills = distinctLabels(entry.skills).slice(0, options.maxSkills);
    if (!useCase || skills.length === 0) {
      invalidRemoved++;
      continue;
    }
    const key = metadataKey(useCase, skills);
    if (keys.has(key)) {
      duplicatesRemoved++;
      continue;
    }
    keys.add(key);
    entries.push({ useCase, skills, key, origin: "seed", seedId: entry.seedId });
  }
  return { entries, duplicatesRemoved, invalidRemoved };
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
 * The deduplicated seed entries first (the first poolSize if they alone exceed it), then mixed entries until
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
  },
): MetadataPool {
  const { poolSize, maxSkills, rng } = options;
  assertIntegerAtLeast("poolSize", poolSize, 0);
  assertIntegerAtLeast("maxSkills", maxSkills, 1);
  const { entries: seedEntries, duplicatesRemoved, invalidRemoved } = dedupeEncoded(encoded, { maxSkills });
  const kept = seedEntries.slice(0, poolSize);
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

// Seeded randomness. Every random decision in a run draws from an Rng derived from the run seed plus the
// identity of the item it concerns (deriveRng(runSeed, "improve", versionId)), so results do not depend on
// which concurrent job got there first and a resumed run makes the same choices.
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

export interface Rng {
  /** Uniform integer in [0, maxExclusive). */
  nextInt(maxExclusive: number): number;
  /** Uniform float in [0, 1). */
  nextFloat(): number;
  /** One uniformly chosen element; throws on an empty array. */
  pick<T>(items: readonly T[]): T;
  /** k distinct positions drawn without replacement (partial Fisher–Yates), in draw order. */
  sample<T>(items: readonly T[], k: number): T[];
  /** A shuffled copy. */
  shuffle<T>(items: readonly T[]): T[];
}

export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
  // pure-rand 8 generators advance in place.
  const generator = xoroshiro128plus(seed | 0);

  const nextInt = (maxExclusive: number): number => {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1) {
      throw new RangeError(`nextInt needs a positive integer bound, got ${maxExclusive}`);
    }
    return uniformInt(generator, 0, maxExclusive - 1);
  };

  const sample = <T>(items: readonly T[], k: number): T[] => {
    if (!Number.isInteger(k) || k < 0 || k > items.length) {
      throw new RangeError(`cannot sample ${k} of ${items.length} items without replacement`);
    }
    const pool = items.slice();
    for (let i = 0; i < k; i++) {
      const j = i + nextInt(pool.length - i);
      [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
    }
    return pool.slice(0, k);
  };

  return {
    nextInt,
    nextFloat: () => uniformFloat64(generator),
    pick: <T>(items: readonly T[]): T => {
      if (items.length === 0) throw new RangeError("cannot pick from an empty array");
      return items[nextInt(items.length)] as T;
    },
    sample,
    shuffle: <T>(items: readonly T[]): T[] => sample(items, items.length),
  };
}

/**
 * A stable 32-bit seed from the run seed and labels naming one decision (e.g. "pool", or "improve", 42, 3).
 * Labels are typed in the hash input, so "1" and 1 differ.
 */
export function deriveSeed(runSeed: number, ...labels: Array<string | number>): number {
  const text = JSON.stringify([runSeed, ...labels]);
  // FNV-1a over UTF-16 code units, then the murmur3 finaliser for avalanche.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

export function deriveRng(runSeed: number, ...labels: Array<string | number>): Rng {
  return createRng(deriveSeed(runSeed, ...labels));
}

// A small deterministic generator (sfc32) seeded from sha256 of any text, so equal requests get equal answers.
import { createHash } from "node:crypto";

export type Random = () => number;

export function seededRandom(seedText: string): Random {
  const hash = createHash("sha256").update(seedText).digest();
  let a = hash.readUInt32LE(0);
  let b = hash.readUInt32LE(4);
  let c = hash.readUInt32LE(8);
  let d = hash.readUInt32LE(12);
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

/** Uniform integer in [min, max]. */
export function randomInt(random: Random, min: number, max: number): number {
  if (max <= min) return min;
  return min + Math.floor(random() * (max - min + 1));
}

export function pick<T>(random: Random, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

/** A short token such as "k3x9q", to make generated strings distinct. */
export function randomToken(random: Random, length = 5): string {
  let token = "";
  for (let index = 0; index < length; index += 1)
    token += "abcdefghijklmnopqrstuvwxyz0123456789"[Math.floor(random() * 36)];
  return token;
}

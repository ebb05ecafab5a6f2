import { describe, expect, it } from "vitest";
import { createRng, deriveRng, deriveSeed } from "./random";

describe("createRng", () => {
  it("is reproducible from its seed and differs across seeds", () => {
    const draw = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => rng.nextInt(1000));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("nextInt stays in range and reaches every value", () => {
    const rng = createRng(1);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const value = rng.nextInt(5);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(5);
      seen.add(value);
    }
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    expect(() => rng.nextInt(0)).toThrow(RangeError);
  });

  it("nextFloat is in [0, 1)", () => {
    const rng = createRng(3);
    for (let i = 0; i < 1000; i++) {
      const value = rng.nextFloat();
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThan(1);
    }
  });

  it("sample draws distinct elements without replacement", () => {
    const items = ["a", "b", "c", "d", "e", "f"];
    for (let seed = 0; seed < 200; seed++) {
      const rng = createRng(seed);
      const k = rng.nextInt(items.length + 1);
      const picked = rng.sample(items, k);
      expect(picked).toHaveLength(k);
      expect(new Set(picked).size).toBe(k);
      for (const item of picked) expect(items).toContain(item);
    }
    expect(createRng(0).sample(items, 6).sort()).toEqual(items);
    expect(() => createRng(0).sample(items, 7)).toThrow(RangeError);
  });

  it("pick is roughly uniform", () => {
    const rng = createRng(11);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 8000; i++) counts[rng.pick([0, 1, 2, 3])]!++;
    for (const count of counts) expect(Math.abs(count - 2000)).toBeLessThan(200);
    expect(() => rng.pick([])).toThrow(RangeError);
  });
});

describe("deriveSeed", () => {
  it("is stable and depends on the run seed and every label", () => {
    expect(deriveSeed(0, "improve", 42, 2)).toBe(deriveSeed(0, "improve", 42, 2));
    const variants = [
      deriveSeed(0, "improve", 42, 2),
      deriveSeed(1, "improve", 42, 2),
      deriveSeed(0, "improve", 43, 2),
      deriveSeed(0, "improve", 42, 3),
      deriveSeed(0, "pool"),
      deriveSeed(0, "improve", "42", 2),
    ];
    expect(new Set(variants).size).toBe(variants.length);
  });

  it("returns unsigned 32-bit integers", () => {
    for (let i = 0; i < 100; i++) {
      const seed = deriveSeed(i, "x");
      expect(Number.isInteger(seed)).toBe(true);
      expect(seed).toBeGreaterThanOrEqual(0);
      expect(seed).toBeLessThan(2 ** 32);
    }
  });

  it("gives the same draws for an item whatever order items are processed in", () => {
    const ids = [5, 1, 9, 3];
    const drawFor = (id: number) => deriveRng(123, "action", id).nextInt(4);
    const forward = new Map(ids.map((id) => [id, drawFor(id)]));
    const backward = new Map([...ids].reverse().map((id) => [id, drawFor(id)]));
    expect(forward).toEqual(backward);
  });
});

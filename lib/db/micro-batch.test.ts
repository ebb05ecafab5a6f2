import { describe, expect, it } from "vitest";
import { createMicroBatcher } from "@/lib/db/micro-batch";

describe("micro-batching", () => {
  it("runs items added in the same turn as one batch and gives each caller its own result", async () => {
    const batches: number[][] = [];
    const batcher = createMicroBatcher(async (items: number[]) => {
      batches.push(items);
      return items.map((item) => item * 10);
    });
    const results = await Promise.all([1, 2, 3].map((item) => batcher.add(item)));
    expect(results).toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
    expect(await batcher.add(4)).toBe(40);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it("flushes at maxSize without waiting", async () => {
    const batches: number[][] = [];
    const batcher = createMicroBatcher(
      async (items: number[]) => {
        batches.push(items);
        return items;
      },
      { maxSize: 2, maxDelayMs: 10_000 },
    );
    await Promise.all([batcher.add(1), batcher.add(2)]);
    expect(batches).toEqual([[1, 2]]);
  });

  it("rejects every caller of a failed batch", async () => {
    const batcher = createMicroBatcher<number, number>(async () => {
      throw new Error("database down");
    });
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
  });

  it("refuses a batch that returns the wrong number of results", async () => {
    const batcher = createMicroBatcher(async (items: number[]) => items.slice(1));
    await expect(Promise.all([batcher.add(1), batcher.add(2)])).rejects.toThrow(/returned 1 results/);
  });
});

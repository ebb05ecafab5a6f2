import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { seedContentHash } from "@/lib/formats/seed-file";
import { repoRoot } from "@/lib/repo-root";
import {
  findPublicSet,
  listPublicSets,
  loadPublicSet,
  publicSetDefinitions,
  readPublicSetLicense,
  publicDataDir,
} from "./public-sets";

describe("the public evaluation sets", () => {
  it("resolve to the repo's own data/ folder by default", () => {
    expect(publicDataDir()).toBe(path.join(repoRoot, "data"));
    expect(listPublicSets().every((set) => set.available)).toBe(true);
  });

  it.each([
    ["vicuna-80", 80, 9],
    ["self-instruct-252", 252, 71],
    ["koala-180", 180, 0],
    ["evol-instruct-218", 218, 29],
    ["mt-bench-80", 80, 8],
  ])("%s loads %i instructions in %i categories", (name, count, categories) => {
    const { items, definition } = loadPublicSet(name);
    expect(items).toHaveLength(count);
    expect(definition.count).toBe(count);
    expect(new Set(items.map((item) => item.category).filter(Boolean)).size).toBe(categories);
    expect(items.every((item) => item.instruction.length > 5 && item.sourceId !== null)).toBe(true);
    expect(items.every((item) => item.contentHash === seedContentHash(item.instruction, item.input))).toBe(
      true,
    );
  });

  it("reads each set's fields the way the paper uses them", () => {
    const vicuna = loadPublicSet("vicuna").items[0]!;
    expect(vicuna).toMatchObject({
      instruction: "How can I improve my time management skills?",
      input: "",
      category: "generic",
      sourceId: "1",
    });

    const selfInstruct = loadPublicSet("self-instruct").items[0]!;
    expect(selfInstruct.category).toBe("Grammarly");
    expect(selfInstruct.input).toMatch(/^If you have any questions about my rate/);

    const wizard = loadPublicSet("wizardlm").items[0]!;
    expect(wizard).toMatchObject({ category: "Math", sourceId: "1" });
    expect(wizard.instruction).toMatch(/^If a car travels 120 miles in 2 hours/);

    // MT-Bench: the first turn only.
    const mtBench = loadPublicSet("mt-bench").items[0]!;
    expect(mtBench.instruction).toMatch(
      /^Compose an engaging travel blog post about a recent trip to Hawaii/,
    );
    expect(mtBench.instruction).not.toMatch(/Start every sentence with the letter A/);
  });

  it("carries each set's licence and notice, and the licence text itself", () => {
    expect(findPublicSet("Evol-Instruct")).toMatchObject({ license: "CC BY-NC 4.0" });
    expect(findPublicSet("koala")!.notice).toMatch(/do not use this test set for training/);
    expect(findPublicSet("self-instruct")!.notice).toMatch(/don't use it for any training purpose/);
    for (const set of publicSetDefinitions)
      expect(readPublicSetLicense(set.name).length).toBeGreaterThan(1000);
    expect(readPublicSetLicense("wizardlm")).toMatch(/Attribution-NonCommercial 4\.0/);
  });

  it("names the unknown set and the missing folder clearly", () => {
    expect(() => loadPublicSet("alpaca-eval")).toThrow(/no public evaluation set "alpaca-eval".*vicuna-80/);
    const empty = mkdtempSync(path.join(tmpdir(), "no-public-data-"));
    let error: unknown;
    try {
      loadPublicSet("vicuna", empty);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("unavailable");
    expect((error as AppError).message).toMatch(
      /question\.jsonl does not exist.*data\/.*CODECLM_PUBLIC_DATA_DIR/,
    );
    expect(listPublicSets(empty).some((set) => set.available)).toBe(false);
  });
});

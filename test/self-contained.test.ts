// The repository must run from a fresh clone with nothing beside it: no tracked file may name an absolute path of
// some machine or read the sibling folder our own machines happen to have.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "@/lib/repo-root";

// Built from parts so that this file does not match itself.
const homeLike = ["work", "home", "root", "Users"].join("|");
const forbidden: Array<{ what: string; pattern: RegExp }> = [
  { what: "absolute POSIX path", pattern: new RegExp(`(?<![\\w.:/~-])/(?:${homeLike})/`) },
  { what: "absolute Windows path", pattern: new RegExp(`(?<![\\w])[A-Za-z]:${"\\\\"}{1,2}[\\w.]`) },
  { what: "the sibling shared folder", pattern: new RegExp(`\\.\\./${"shared"}\\b`) },
];

/** Tracked files, less the public data sets' own files (third-party text the product reads as data). */
function trackedFiles(): string[] {
  const listed = execFileSync("git", ["ls-files", "-z"], { cwd: repoRoot, encoding: "utf8" });
  return listed.split("\0").filter((file) => file && !/^data\/[^/]+\//.test(file));
}

/** Every forbidden match in the tracked files, as "file:line: what: text". */
function findMachinePaths(files: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path.join(repoRoot, file));
    } catch {
      continue; // deleted in the work tree but not yet staged
    }
    if (bytes.includes(0)) continue; // binary
    bytes
      .toString("utf8")
      .split("\n")
      .forEach((line, index) => {
        for (const { what, pattern } of forbidden) {
          if (pattern.test(line)) found.push(`${file}:${index + 1}: ${what}: ${line.trim().slice(0, 120)}`);
        }
      });
  }
  return found;
}

describe("a fresh clone is self-contained", () => {
  it("no tracked file names an absolute machine path or reads outside the repo", () => {
    const files = trackedFiles();
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain("data/SOURCES.md");
    expect(findMachinePaths(files)).toEqual([]);
  });

  it("the scan catches each kind of path it is meant to catch", () => {
    const dir = mkdtempSync(path.join(repoRoot, ".scratch-self-contained-"));
    try {
      const samples = [
        ["a.ts", `const seeds = "${"/"}work/shared/data/seeds.jsonl";`],
        ["b.md", `see ${"/"}home/alice/data`],
        ["c.ts", `readFileSync("..${"/"}shared/data/x")`],
        ["d.ts", `const p = "C:${"\\\\"}Users${"\\\\"}bob";`],
        ["e.ts", `fetch("https://example.com/home/page") // a URL is fine`],
      ];
      for (const [name, text] of samples) writeFileSync(path.join(dir, name!), text!);
      const relative = samples.map(([name]) => path.relative(repoRoot, path.join(dir, name!)));
      const found = findMachinePaths(relative);
      expect(found.map((line) => line.split(":")[0]!.split("/").pop())).toEqual([
        "a.ts",
        "b.md",
        "c.ts",
        "d.ts",
      ]);
      expect(found[0]).toMatch(/absolute POSIX path/);
      expect(found[2]).toMatch(/sibling shared folder/);
      expect(found[3]).toMatch(/absolute Windows path/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

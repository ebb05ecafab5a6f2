import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoPath } from "@/lib/repo-root";
import { tallyPlaywright, tallyVitest, type PlaywrightReport, type VitestReport } from "@/test/test-tally";

// Real runs of both runners over a passing file and a file that cannot load (it imports a missing module).
const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function folderWith(files: Record<string, string>, parent = tmpdir()): string {
  const folder = mkdtempSync(path.join(parent, ".scratch-tally-"));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  return folder;
}

describe("npm test's tally", () => {
  it("counts a vitest file that fails to load as failed", { timeout: 120_000 }, () => {
    const folder = folderWith({
      "ok.test.mjs": 'test("adds", () => { expect(1 + 1).toBe(2); });\n',
      "broken.test.mjs": 'import "./missing.mjs";\ntest("never runs", () => {});\n',
    });
    const output = path.join(folder, "report.json");
    const run = spawnSync(
      repoPath("node_modules", ".bin", "vitest"),
      ["run", "--root", folder, "--globals", "--reporter=json", `--outputFile=${output}`],
      { encoding: "utf8" },
    );
    expect(run.status).not.toBe(0);
    const report = JSON.parse(readFileSync(output, "utf8")) as VitestReport;
    expect(report.numFailedTests).toBe(0); // what the old tally read: it said "1 passed, 0 failed"
    const tally = tallyVitest(report, folder);
    expect(tally).toMatchObject({ passed: 1, failed: 1, skipped: 0 });
    expect(tally.brokenFiles).toEqual([expect.stringMatching(/^broken\.test\.mjs: Cannot find module/)]);
  });

  it("counts a Playwright file that fails to load as failed", { timeout: 120_000 }, () => {
    // Inside the repo, so the spec files resolve @playwright/test.
    const folder = folderWith(
      {
        "playwright.config.ts": "export default {};\n",
        "ok.spec.ts":
          'import { test, expect } from "@playwright/test";\ntest("adds", () => expect(2).toBe(2));\n',
        "broken.spec.ts":
          'import "./missing";\nimport { test } from "@playwright/test";\ntest("never", () => {});\n',
      },
      repoPath(),
    );
    const output = path.join(folder, "report.json");
    const run = spawnSync(
      repoPath("node_modules", ".bin", "playwright"),
      ["test", "-c", folder, "--reporter=json"],
      {
        encoding: "utf8",
        env: { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: output },
      },
    );
    expect(run.status).not.toBe(0);
    const report = JSON.parse(readFileSync(output, "utf8")) as PlaywrightReport;
    expect(report.stats.unexpected).toBe(0);
    const tally = tallyPlaywright(report);
    expect(tally.failed).toBe(1);
    expect(tally.brokenFiles).toEqual([expect.stringMatching(/Cannot find module .*missing/)]);
  });
});

// `npm test`: unit tests, integration tests on a real PostgreSQL, a production build, then the Playwright
// journeys in Chromium. Ends with one "N passed, N failed" line summing all tiers. A test file that fails to load
// (a syntax or import error, a throwing hook), a tier that crashes without a report, and a failed build each count
// as failed there and fail the run: a step that exits non-zero never ends in "0 failed".
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { repoPath } from "@/lib/repo-root";
import {
  tallyPlaywright,
  tallyVitest,
  type PlaywrightReport,
  type Tally,
  type VitestReport,
} from "@/test/test-tally";

const reports = repoPath("test-results", "reports");
mkdirSync(reports, { recursive: true });
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const bin = (name: string) => repoPath("node_modules", ".bin", name);

const total = { passed: 0, failed: 0, skipped: 0 };
const failedSteps: string[] = [];

function run(step: string, command: string, args: string[], extraEnv: Record<string, string> = {}): boolean {
  console.log(`\n▶ ${step}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, {
    stdio: "inherit",
    cwd: repoPath(),
    env: { ...env, ...extraEnv },
  });
  if (result.status !== 0) failedSteps.push(step);
  return result.status === 0;
}

/** Adds a tier's report; a step that failed with no failure in its report (or no report) counts as one failure. */
function addTier(step: string, ok: boolean, tally: Tally | null): void {
  const failed = tally?.failed ?? 0;
  if (tally) {
    total.passed += tally.passed;
    total.skipped += tally.skipped;
    for (const file of tally.brokenFiles) console.log(`✗ ${step}: failed to run: ${file}`);
  }
  total.failed += failed;
  if (!ok && failed === 0) {
    console.log(`✗ ${step}: exited with an error but reported no failed test; counted as one failure`);
    total.failed += 1;
  }
  if (ok && failed > 0) failedSteps.push(step); // e.g. a file that did not load while the runner exited 0
}

function readReport<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

for (const project of ["unit", "integration"]) {
  const output = path.join(reports, `vitest-${project}.json`);
  rmSync(output, { force: true });
  const ok = run(`${project} tests`, bin("vitest"), [
    "run",
    "--project",
    project,
    "--reporter=default",
    "--reporter=json",
    `--outputFile=${output}`,
  ]);
  const report = readReport<VitestReport>(output);
  addTier(`${project} tests`, ok, report && tallyVitest(report, repoPath()));
}

if (run("production build", bin("next"), ["build"])) {
  const output = path.join(reports, "playwright.json");
  rmSync(output, { force: true });
  const ok = run("browser journeys", bin("playwright"), ["test", "--reporter=list,json"], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: output,
  });
  const report = readReport<PlaywrightReport>(output);
  addTier("browser journeys", ok, report && tallyPlaywright(report));
} else {
  total.failed += 1;
}

console.log("");
if (failedSteps.length > 0) console.log(`Failed steps: ${[...new Set(failedSteps)].join(", ")}`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedSteps.length > 0 ? 1 : 0);

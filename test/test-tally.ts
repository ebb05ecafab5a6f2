// How `npm test` (scripts/test-all.ts) counts a tier from its runner's JSON report. A test file that fails without
// a failed test in it (it did not load: a syntax or import error, a throwing hook or setup) counts as failed.
import path from "node:path";

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** Files (or setup steps) that failed to run, with the first line of their error. */
  brokenFiles: string[];
}

/** The parts of vitest's JSON report read here. */
export interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: Array<{
    name: string;
    status: string;
    message: string;
    assertionResults: Array<{ status: string }>;
  }>;
}

/** A tier's counts; files that failed without a failed test (they did not load, or a hook threw) count as failed. */
export function tallyVitest(report: VitestReport, root: string): Tally {
  const brokenFiles = report.testResults
    .filter(
      (file) => file.status === "failed" && !file.assertionResults.some((test) => test.status === "failed"),
    )
    .map((file) => `${path.relative(root, file.name)}: ${file.message.split("\n")[0] ?? ""}`);
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles.length,
    skipped: report.numPendingTests + report.numTodoTests,
    brokenFiles,
  };
}

/** The parts of Playwright's JSON report read here: top-level errors are files that did not load, setup failures. */
export interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  errors?: Array<{ message?: string }>;
}

export function tallyPlaywright(report: PlaywrightReport): Tally {
  const brokenFiles = (report.errors ?? []).map((error) => (error.message ?? "error").split("\n")[0]!);
  return {
    passed: report.stats.expected + report.stats.flaky,
    failed: report.stats.unexpected + brokenFiles.length,
    skipped: report.stats.skipped,
    brokenFiles,
  };
}

// `codeclm evaluate` as a user runs it: a child process on the test database against the fake LLM server.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inject, afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvaluationReport } from "@/lib/evaluation/report";
import { loadPublicSet } from "@/lib/evaluation/public-sets";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";

let server: FakeLlmServer;
const folder = mkdtempSync(path.join(tmpdir(), "codeclm-evaluate-cli-"));
const setFile = path.join(folder, "held-out.jsonl");

beforeAll(async () => {
  server = await startFakeLlmServer();
  // Ten WizardLM test instructions, with their skill as the category.
  const lines = loadPublicSet("evol-instruct-218")
    .items.slice(0, 10)
    .map((item) => JSON.stringify({ instruction: item.instruction, category: item.category }));
  writeFileSync(setFile, `${lines.join("\n")}\n`);
});

afterAll(async () => {
  await server?.stop();
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.resolve("node_modules/tsx/dist/cli.mjs"), "cli/codeclm.ts", ...args],
      {
        env: { ...process.env, DATABASE_URL: inject("databaseUrl"), LOG_LEVEL: "error" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const endpoints = (suffix: string) => [
  "--target-url",
  server.url,
  "--target-model",
  `fake-target-cli-${suffix}`,
  "--reference-url",
  server.url,
  "--reference-model",
  `fake-strong-cli-${suffix}`,
];

describe("codeclm evaluate", () => {
  it("evaluates a 10-line file, prints W/T/L and CRR with its interval, writes the report; a second run is all cache", async () => {
    const out = path.join(folder, "report.json");
    const first = await runCli([
      "evaluate",
      "--set",
      setFile,
      ...endpoints("a"),
      "--out",
      out,
      "--concurrency",
      "4",
    ]);
    expect(first.stderr).not.toMatch(/codeclm: /);
    expect(first.code).toBe(0);
    const report = JSON.parse(readFileSync(out, "utf8")) as EvaluationReport;
    const { wins, ties, losses } = report.summary;
    expect(wins + ties + losses).toBe(10);
    expect(report.results).toHaveLength(10);
    expect(
      report.results.every(
        (result) => result.scores !== null && result.targetAnswer && result.referenceAnswer,
      ),
    ).toBe(true);
    expect(
      report.results.map((result) => result.outcome).filter((outcome) => outcome === "win"),
    ).toHaveLength(wins);
    expect(report.set).toMatchObject({ source: "file", sourceName: "held-out.jsonl", instructionCount: 10 });
    expect(report.summary.byCategory.map((row) => row.category)).toEqual(["Math"]);
    expect(report.llm).toMatchObject({ calls: 40, cacheHits: 0, errors: 0 });
    expect(report.protocol.judgeTemperature).toBe(0);

    expect(first.stdout).toContain(`W/T/L     ${wins}/${ties}/${losses} of 10 judged`);
    const crr = ((wins + ties) / 10) * 100;
    expect(first.stdout).toMatch(
      new RegExp(`CRR {7}${crr.toFixed(2)}% \\(95% CI \\d+\\.\\d{2}% – \\d+\\.\\d{2}%\\)`),
    );
    expect(first.stdout).toContain("judge     fake-strong-cli-a");

    const second = await runCli(["evaluate", "--set", setFile, ...endpoints("a"), "--out", out]);
    expect(second.code).toBe(0);
    const again = JSON.parse(readFileSync(out, "utf8")) as EvaluationReport;
    expect(again.evaluation.id).not.toBe(report.evaluation.id);
    expect(again.llm).toMatchObject({ calls: 40, cacheHits: 40 });
    expect(again.summary).toMatchObject({ wins, ties, losses });
  });

  it("loads a public set by name and shows its licence notice", async () => {
    const result = await runCli([
      "evaluate",
      "--set",
      "vicuna",
      ...endpoints("b"),
      "--judge-url",
      server.url,
      "--judge-model",
      "fake-judge-cli",
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("Vicuna, 80: Apache-2.0 (lm-sys/FastChat).");
    expect(result.stdout).toMatch(/W\/T\/L {5}\d+\/\d+\/\d+ of 80 judged/);
    expect(result.stdout).toContain("judge     fake-judge-cli at");
    expect(result.stdout).toMatch(/by category:\n {4}coding/);
  });

  it("refuses bad flags with exit code 2 and an unknown set with exit code 1", async () => {
    const badUrl = await runCli([
      "evaluate",
      "--set",
      "vicuna",
      ...endpoints("c").map((arg) => (arg === server.url ? "localhost:1" : arg)),
    ]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain("--target-url must be an http(s) URL");
    const missingJudgeModel = await runCli([
      "evaluate",
      "--set",
      "vicuna",
      ...endpoints("c"),
      "--judge-url",
      server.url,
    ]);
    expect(missingJudgeModel.code).toBe(2);
    const unknown = await runCli(["evaluate", "--set", "no-such-set", ...endpoints("c")]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("--set no-such-set is neither a public set");
  });
});

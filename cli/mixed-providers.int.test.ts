// The CLI with two providers at once, each emulated from its documented behaviour: an OpenAI reasoning model
// behind a key, and a vLLM 0.8 server (xgrammar refusals) behind another key. Nothing is set but each role's
// key variable and prices: the run completes, each server sees only its own key, the cost is priced.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { readSelfInstructSeeds } from "@/test/pipeline-fixtures";

const repoRoot = path.resolve(import.meta.dirname, "..");
const strongKey = "strong-secret-0123456789";
const targetKey = "target-secret-9876543210";
let strong: FakeLlmServer;
let target: FakeLlmServer;
let dir: string;
let seedsFile: string;

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/codeclm.ts", ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: inject("databaseUrl"),
        LOG_LEVEL: "error",
        STRONG_API_KEY: strongKey,
        TARGET_API_KEY: targetKey,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  strong = await startFakeLlmServer({ provider: "openai-reasoning", apiKey: strongKey });
  target = await startFakeLlmServer({ provider: "vllm-xgrammar", apiKey: targetKey });
  dir = mkdtempSync(path.join(tmpdir(), "codeclm-mixed-"));
  seedsFile = path.join(dir, "seeds.jsonl");
  const seeds = readSelfInstructSeeds(4).map((seed) => JSON.stringify({ instruction: seed.instruction }));
  writeFileSync(seedsFile, `${seeds.join("\n")}\n`);
});

afterAll(async () => {
  await strong?.stop();
  await target?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("codeclm generate with mixed providers", () => {
  it("completes with per-role keys and prices; each key reaches only its own server", async () => {
    const out = path.join(dir, "out.jsonl");
    const result = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      out,
      "--strong-url",
      strong.url,
      "--strong-model",
      "o4-mini",
      "--strong-key-env",
      "STRONG_API_KEY",
      "--strong-price-in",
      "1.1",
      "--strong-price-out",
      "4.4",
      "--strong-reasoning-effort",
      "low",
      "--target-url",
      target.url,
      "--target-model",
      "Qwen/Qwen2.5-7B-Instruct",
      "--target-key-env",
      "TARGET_API_KEY",
      "--size",
      "6",
      "--pool",
      "4",
      "--json",
    ]);
    expect(result.stderr).not.toMatch(/failed:/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      state: string;
      kept: number;
      written: number;
      llm: { costUsd: number; errors: number };
    };
    expect(summary.state).toBe("completed");
    expect(summary.kept).toBeGreaterThan(0);
    expect(summary.written).toBe(readFileSync(out, "utf8").split("\n").filter(Boolean).length);
    expect(summary.llm.costUsd).toBeGreaterThan(0);
    expect(Object.keys(strong.stats().keysSeen)).toEqual([strongKey]);
    expect(Object.keys(target.stats().keysSeen)).toEqual([targetKey]);
    // The reasoning model never got a parameter it refuses.
    expect(strong.stats().byStatus["400"]).toBeUndefined();
  });

  it("refuses one --api-key-env for roles on different servers", async () => {
    target.resetStats();
    const result = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      path.join(dir, "never.jsonl"),
      "--strong-url",
      strong.url,
      "--strong-model",
      "o4-mini",
      "--target-url",
      target.url,
      "--target-model",
      "small",
      "--api-key-env",
      "STRONG_API_KEY",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--api-key-env would send one key to different servers/);
    expect(target.stats().keysSeen).toEqual({});
  });
});

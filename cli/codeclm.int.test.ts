// The CLI as a user runs it: a child process against the fake server and the test database.
import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { readSelfInstructSeeds } from "@/test/pipeline-fixtures";

const repoRoot = path.resolve(import.meta.dirname, "..");
let server: FakeLlmServer;
let dir: string;
let seedsFile: string;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(
  args: string[],
  options: { interruptWhen?: (stderr: string) => boolean } = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "cli/codeclm.ts", ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: inject("databaseUrl"),
        LOG_LEVEL: "error",
        CODECLM_DATA_DIR: path.join(dir, "data"),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stdout: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    let interrupted = false;
    const check = () => {
      if (!interrupted && options.interruptWhen?.(stderr)) {
        interrupted = true;
        child.kill("SIGINT");
      }
    };
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      check();
    });
    const poll = setInterval(check, 100);
    child.once("close", (code) => {
      clearInterval(poll);
      resolve({ code, stdout: Buffer.concat(stdout).toString("utf8"), stderr });
    });
  });
}

function endpointFlags(strongModel = "fake-strong-cli"): string[] {
  return [
    "--strong-url",
    server.url,
    "--strong-model",
    strongModel,
    "--target-url",
    server.url,
    "--target-model",
    "fake-target-cli",
  ];
}

beforeAll(async () => {
  server = await startFakeLlmServer({ latencyMs: 5 });
  dir = mkdtempSync(path.join(tmpdir(), "codeclm-cli-"));
  seedsFile = path.join(dir, "seeds.jsonl");
  const seeds = readSelfInstructSeeds(6).map((seed, index) =>
    JSON.stringify({ id: index, instruction: seed.instruction, input: seed.input }),
  );
  writeFileSync(seedsFile, `${seeds.join("\n")}\n`);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("codeclm generate", () => {
  it("writes the kept records in the chat format with their provenance", async () => {
    const out = path.join(dir, "chat.jsonl");
    const theta = 2.5;
    const result = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      out,
      ...endpointFlags(),
      "--size",
      "12",
      "--pool",
      "6",
      "--theta",
      String(theta),
      "--iterations",
      "3",
      "--concurrency",
      "8",
      "--seed",
      "3",
    ]);
    expect(result.stderr).not.toMatch(/codeclm:/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Run \d+: completed/);
    const lines = readFileSync(out, "utf8").trimEnd().split("\n");
    expect(result.stdout).toContain(`output    ${lines.length} records → ${out}`);
    expect(lines.length).toBeGreaterThanOrEqual(12);
    const runIds = new Set<number>();
    for (const line of lines) {
      const record = JSON.parse(line) as {
        messages: Array<{ role: string; content: string }>;
        codeclm: {
          use_case: string;
          skills: string[];
          iteration: number;
          strong_score: number;
          target_score: number;
          gap: number;
          kept: string;
          run_id: number;
        };
      };
      expect(record.messages.map((message) => message.role)).toEqual(["user", "assistant"]);
      expect(record.messages.every((message) => message.content.length > 0)).toBe(true);
      const { codeclm } = record;
      expect(codeclm.use_case.length).toBeGreaterThan(0);
      expect(codeclm.skills.length).toBeGreaterThan(0);
      expect(codeclm.iteration).toBeGreaterThanOrEqual(1);
      expect(codeclm.iteration).toBeLessThanOrEqual(3);
      expect(Math.abs(codeclm.gap)).toBeGreaterThan(theta);
      expect(codeclm.kept).toBe(codeclm.gap > 0 ? "strong" : "target");
      expect(codeclm.gap).toBeCloseTo(codeclm.strong_score - codeclm.target_score, 3);
      runIds.add(codeclm.run_id);
    }
    expect(runIds.size).toBe(1);
  });

  it("writes alpaca and sharegpt records", async () => {
    const alpaca = path.join(dir, "alpaca.jsonl");
    const result = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      alpaca,
      ...endpointFlags(),
      "--size",
      "5",
      "--pool",
      "6",
      "--concurrency",
      "8",
      "--seed",
      "3",
      "--format",
      "alpaca",
    ]);
    expect(result.code).toBe(0);
    const record = JSON.parse(readFileSync(alpaca, "utf8").split("\n")[0]!) as Record<string, unknown>;
    expect(Object.keys(record).sort()).toEqual(["codeclm", "input", "instruction", "output"]);

    const sharegpt = path.join(dir, "sharegpt.jsonl");
    const second = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      sharegpt,
      ...endpointFlags(),
      "--size",
      "5",
      "--pool",
      "6",
      "--concurrency",
      "8",
      "--seed",
      "3",
      "--format",
      "sharegpt",
    ]);
    expect(second.code).toBe(0);
    const conversation = JSON.parse(readFileSync(sharegpt, "utf8").split("\n")[0]!) as {
      conversations: Array<{ from: string }>;
    };
    expect(conversation.conversations.map((turn) => turn.from)).toEqual(["human", "gpt"]);
  });

  it("exports through the app's code: preference pairs to stdout, recorded with their sha256", async () => {
    const result = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      "-",
      ...endpointFlags(),
      "--size",
      "4",
      "--pool",
      "6",
      "--format",
      "preference",
      "--no-provenance",
    ]);
    expect(result.stderr).not.toMatch(/codeclm:/);
    expect(result.code).toBe(0);
    // stdout holds the records only; the summary went to stderr.
    expect(result.stderr).toMatch(/Run \d+: completed/);
    const lines = result.stdout.trimEnd().split("\n");
    expect(result.stderr).toContain(`output    ${lines.length} records → stdout`);
    const sha256 = /sha256 ([0-9a-f]{64})/.exec(result.stderr)?.[1];
    expect(createHash("sha256").update(result.stdout).digest("hex")).toBe(sha256);
    for (const line of lines) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(Object.keys(record)).toEqual(["prompt", "chosen", "rejected", "margin"]);
      expect(record.margin).toBeGreaterThan(0);
    }
  });

  it("writes Parquet with full provenance that an independent reader reads back", async () => {
    const out = path.join(dir, "chat.parquet");
    const result = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      out,
      ...endpointFlags(),
      "--size",
      "4",
      "--pool",
      "6",
      "--format",
      "chat-parquet",
      "--full-provenance",
    ]);
    expect(result.stderr).not.toMatch(/codeclm:/);
    expect(result.code).toBe(0);
    const bytes = readFileSync(out);
    const rows = await parquetReadObjects({
      file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    });
    expect(result.stdout).toContain(`output    ${rows.length} records → ${out}`);
    expect(rows.length).toBeGreaterThanOrEqual(4);
    const first = rows[0] as { messages: unknown[]; codeclm: Record<string, unknown> };
    expect(first.messages).toHaveLength(2);
    expect(first.codeclm).toMatchObject({ strong_model: "fake-strong-cli", target_model: "fake-target-cli" });
    expect((first.codeclm.chain as unknown[]).length).toBeGreaterThanOrEqual(1);
  });

  it("checks --out before any LLM call", async () => {
    server.resetStats();
    const out = path.join(dir, "no-such-folder", "x.jsonl");
    const result = await runCli(["generate", "--seeds", seedsFile, "--out", out, ...endpointFlags()]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`codeclm: --out: the folder ${path.dirname(out)} does not exist`);
    expect(server.stats().requests).toBe(0);
    const folder = await runCli(["generate", "--seeds", seedsFile, "--out", dir, ...endpointFlags()]);
    expect(folder.stderr.trim()).toBe(`codeclm: --out ${dir} is a folder; give a file name inside it`);
    expect(server.stats().requests).toBe(0);
  });

  it("refuses bad flags with one line and exit code 2", async () => {
    const result = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      path.join(dir, "x.jsonl"),
      ...endpointFlags(),
      "--theta",
      "11",
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe('codeclm: --theta must be a number from 0 to 8.5, got "11"');
    const missing = await runCli(["generate", "--seeds", seedsFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    expect(missing.stderr).toMatch(/required option '--out <file>'/);
  });

  it("reports an unreadable seeds file with the parser's line errors", async () => {
    const broken = path.join(dir, "broken.jsonl");
    writeFileSync(
      broken,
      '{"instruction": "Write a poem."}\n{"instruction": \n{"instruction": "Sum 2 and 3."}\n',
    );
    const out = path.join(dir, "never.jsonl");
    const result = await runCli(["generate", "--seeds", broken, "--out", out, ...endpointFlags()]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^codeclm: The seeds file .*broken\.jsonl has 1 problem; nothing was imported\n {2}Line 2: /,
    );
    expect(() => readFileSync(out)).toThrow();
  });

  it("fails with a clear message when the strong model does not exist", async () => {
    const out = path.join(dir, "unknown.jsonl");
    const result = await runCli([
      "generate",
      "--seeds",
      seedsFile,
      "--out",
      out,
      ...endpointFlags("fake-unknown-cli"),
      "--size",
      "5",
      "--pool",
      "6",
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /codeclm: The strong endpoint \(fake-unknown-cli at .*\) failed: Model "fake-unknown-cli" is not served/,
    );
    expect(() => readFileSync(out)).toThrow();
  });

  it("on Ctrl-C aborts the calls in flight, marks the run interrupted (resumable) and still writes what was kept", async () => {
    // A server that holds every answer for a minute: only aborting the requests lets the CLI exit.
    const slow = await startFakeLlmServer({ latencyMs: 60_000 });
    try {
      const out = path.join(dir, "interrupted.jsonl");
      const result = await runCli(
        [
          "generate",
          "--seeds",
          seedsFile,
          "--out",
          out,
          "--strong-url",
          slow.url,
          "--strong-model",
          "fake-strong-slow",
          "--target-url",
          slow.url,
          "--target-model",
          "fake-target-slow",
          "--size",
          "500",
          "--pool",
          "6",
          "--concurrency",
          "4",
        ],
        {
          interruptWhen: (stderr) =>
            /Run \d+ of project \d+ started/.test(stderr) && slow.stats().inFlight >= 4,
        },
      );
      expect(result.code).toBe(130);
      expect(result.stderr).toContain("Stopping: aborting the calls in flight");
      expect(result.stdout).toMatch(/Run \d+: interrupted/);
      expect(result.stderr).toMatch(/run \d+ is resumable/);
      // The requests the CLI had open (4 at least when it was interrupted) were closed by it, none answered.
      expect(slow.stats().inFlight).toBe(0);
      expect(slow.stats().byStatus["200"] ?? 0).toBe(0);
      const match = /output {4}(\d+) records/.exec(result.stdout);
      expect(match).not.toBeNull();
      expect(readFileSync(out, "utf8").split("\n").filter(Boolean)).toHaveLength(Number(match![1]));
    } finally {
      await slow.stop();
    }
  });
});

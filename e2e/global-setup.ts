// Journeys run against a production build of the app on a throwaway database, with a fresh data folder.
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startFakeLlmServer } from "../test/fake-llm/server";
import { createThrowawayDatabase } from "../test/throwaway-database";
import { E2E_STATE_FILE, type E2eState } from "./state";

export default async function globalSetup(): Promise<void> {
  const port = Number(process.env.E2E_PORT ?? 3210);
  const database = await createThrowawayDatabase("e2e");
  // The journeys' OpenAI-compatible endpoint: deterministic answers, a little latency so progress is visible.
  const fakeLlm = await startFakeLlmServer({ latencyMs: 5 });
  process.env.E2E_FAKE_LLM_URL = fakeLlm.url;
  (globalThis as { __codeclmStopFakeLlm?: () => Promise<void> }).__codeclmStopFakeLlm = fakeLlm.stop;
  const dataDir = mkdtempSync(path.join(tmpdir(), "codeclm-e2e-data-"));
  const server = spawn(
    process.execPath,
    [path.resolve("node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        CODECLM_DATA_DIR: dataDir,
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true,
    },
  );
  const state: E2eState = { serverPid: server.pid ?? 0, databaseUrl: database.url, dataDir };
  writeFileSync(E2E_STATE_FILE, JSON.stringify(state));
  (globalThis as { __codeclmDropDb?: () => Promise<void> }).__codeclmDropDb = database.drop;

  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (response.ok) break;
    } catch {
      // not up yet
    }
    if (server.exitCode !== null)
      throw new Error(`next start exited with code ${server.exitCode}; run \`npm run build\` first`);
    if (Date.now() > deadline) throw new Error("The app did not answer /api/health within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

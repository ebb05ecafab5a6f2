import { readFileSync, rmSync } from "node:fs";
import { E2E_STATE_FILE, type E2eState } from "./state";

export default async function globalTeardown(): Promise<void> {
  const state = JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as E2eState;
  try {
    process.kill(-state.serverPid, "SIGTERM"); // the whole process group: next start and its workers
  } catch {
    // already gone
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  await (globalThis as { __codeclmDropDb?: () => Promise<void> }).__codeclmDropDb?.();
  await (globalThis as { __codeclmStopFakeLlm?: () => Promise<void> }).__codeclmStopFakeLlm?.();
  rmSync(state.dataDir, { recursive: true, force: true });
  rmSync(E2E_STATE_FILE, { force: true });
}

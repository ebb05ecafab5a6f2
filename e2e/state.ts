import { tmpdir } from "node:os";
import path from "node:path";

export const E2E_STATE_FILE = path.join(tmpdir(), `codeclm-e2e-state-${process.env.E2E_PORT ?? 3210}.json`);

export interface E2eState {
  serverPid: number;
  databaseUrl: string;
  dataDir: string;
}

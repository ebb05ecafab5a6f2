// A throwaway, migrated database: on DATABASE_URL's server when set, else on an embedded PostgreSQL in a
// temporary folder. Used by integration tests, Playwright journeys and benchmarks.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { applyMigrations } from "../lib/db/migrate";

export interface ThrowawayDatabase {
  url: string;
  drop: () => Promise<void>;
}

export async function createThrowawayDatabase(label = "test"): Promise<ThrowawayDatabase> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async (): Promise<void> => undefined;
  let tempDir: string | undefined;
  if (!serverUrl) {
    tempDir = mkdtempSync(path.join(tmpdir(), `codeclm-${label}-pg-`));
    chmodSync(tempDir, 0o755); // the server runs as the postgres user when we are root
    const embedded = await startEmbeddedPostgres(tempDir);
    serverUrl = embedded.url;
    stopServer = embedded.stop;
  }
  const databaseName = `codeclm_${label}_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();

  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  await applyMigrations(url.toString());

  const server = serverUrl;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: server });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await cleanup.end();
      await stopServer();
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

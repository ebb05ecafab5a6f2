// `npm run worker`: a standalone pipeline and evaluation worker. Opens the database (DATABASE_URL or the embedded
// PostgreSQL), then works the queues until SIGTERM/SIGINT, when it lets in-flight jobs finish (or hands them back)
// and exits.
import { closeDb, setDatabaseUrl } from "@/lib/db/client";
import { openDatabase, redactUrl } from "@/lib/db/database";
import { takeOverShutdownSignals } from "@/lib/jobs/shutdown-signals";
import { startWorker } from "@/lib/jobs/worker-runtime";
import { closePipelineServices, consoleLog } from "@/lib/pipeline/services";

const log = consoleLog();

async function main(): Promise<void> {
  const database = await openDatabase({ log: (line) => log("info", line) });
  setDatabaseUrl(database.url);
  log("info", `worker using ${redactUrl(database.url)}`);
  const worker = await startWorker();

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log("info", `${signal}: finishing in-flight jobs`);
    void (async () => {
      try {
        await worker.stop({ graceMs: 20_000 });
        await closePipelineServices();
        await closeDb();
        await database.stop();
      } finally {
        process.exit(0);
      }
    })();
  };
  takeOverShutdownSignals(shutdown);
}

main().catch((error: unknown) => {
  log("error", `worker failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});

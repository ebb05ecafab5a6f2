// `npm run db:migrate`: apply pending migrations to DATABASE_URL, or to the embedded database.
import { openDatabase, redactUrl } from "@/lib/db/database";
import { applyMigrations } from "@/lib/db/migrate";

const database = await openDatabase({ migrate: false, log: (line) => console.log(line) });
try {
  const applied = await applyMigrations(database.url);
  console.log(
    applied.length
      ? `Applied ${applied.length} migration(s): ${applied.join(", ")}`
      : `No pending migrations on ${redactUrl(database.url)}`,
  );
} catch (error) {
  console.error(`Migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await database.stop();
}

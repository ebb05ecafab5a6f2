// `npm run dev` / `npm start`: resolve the database (DATABASE_URL, or the embedded PostgreSQL in .data/postgres),
// apply migrations, then run Next with DATABASE_URL set. The embedded server is stopped when Next exits.
import { spawn } from "node:child_process";
import path from "node:path";
import { openDatabase } from "@/lib/db/database";
import { hashBuildSources, isBuildCurrent, recordBuild } from "./production-build";
import { env } from "@/lib/env";

const mode = process.argv[2] === "start" ? "start" : "dev";
const nextBin = path.resolve("node_modules/next/dist/bin/next");

const database = await openDatabase({ log: (line) => console.log(`[codeclm] ${line}`) }).catch(
  (error: unknown) => {
    console.error(
      `[codeclm] Cannot open the database: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  },
);

const childEnv = { ...process.env, DATABASE_URL: database.url, NEXT_TELEMETRY_DISABLED: "1" };

async function runNext(args: string[]): Promise<number> {
  const child = spawn(process.execPath, [nextBin, ...args], { stdio: "inherit", env: childEnv });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on("SIGINT", forward);
  process.on("SIGTERM", forward);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

let exitCode = 0;
if (mode === "start") {
  const sourceHash = hashBuildSources(process.cwd());
  if (!isBuildCurrent(process.cwd(), sourceHash)) {
    console.log(`[codeclm] Building the app (sources changed since the last build, or no build yet)…`);
    exitCode = await runNext(["build"]);
    if (exitCode === 0) recordBuild(process.cwd(), sourceHash);
  }
}
// Loopback unless the operator opens it on purpose (HOST=0.0.0.0 or an interface address): anyone who reaches the
// port can use the app, so never every interface by default.
const extraArgs = process.argv.slice(3);
const hostArgs = extraArgs.some((arg) => arg === "-H" || arg.startsWith("--hostname"))
  ? []
  : ["-H", env.HOST];
if (exitCode === 0) exitCode = await runNext([mode, ...hostArgs, ...extraArgs]);
await database.stop();
process.exit(exitCode);

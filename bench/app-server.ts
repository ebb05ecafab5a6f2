// A production server of this checkout for benchmarks that measure the app over HTTP: builds first when the
// sources changed (the same check `npm start` makes), then `next start` on a free loopback port.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { hashBuildSources, isBuildCurrent, recordBuild } from "../scripts/production-build";

const nextBin = path.resolve("node_modules/next/dist/bin/next");

export interface AppServer {
  url: string;
  pid: number;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function ensureProductionBuild(): void {
  const root = process.cwd();
  const sourceHash = hashBuildSources(root);
  if (isBuildCurrent(root, sourceHash)) return;
  console.log("  building the app (sources changed since the last build)…");
  const result = spawnSync(process.execPath, [nextBin, "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (result.status !== 0) throw new Error(`next build failed with code ${result.status}`);
  recordBuild(root, sourceHash);
}

export async function startAppServer(databaseUrl: string): Promise<AppServer> {
  ensureProductionBuild();
  const port = await freePort();
  const dataDir = mkdtempSync(path.join(tmpdir(), "codeclm-bench-data-"));
  const child: ChildProcess = spawn(
    process.execPath,
    [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CODECLM_DATA_DIR: dataDir,
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error("The production server did not answer /api/health within 60 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, pid: child.pid ?? 0, stop };
}

/** Milliseconds until the response headers arrive (the server's time plus loopback), body drained after. */
export async function timeToHeaders(url: string): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await fetch(url, { redirect: "manual" });
  const ms = performance.now() - started;
  await response.arrayBuffer();
  return { ms, status: response.status };
}

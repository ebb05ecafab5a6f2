// Server time of every page of a production build: each page is requested once to warm it, then five times;
// the median time to the response headers is reported. Goal: under 200 ms for every page.
import pg from "pg";
import { startAppServer, timeToHeaders } from "./app-server";
import type { Benchmark, BenchmarkRow } from "./types";

const goalMs = 200;
const samples = 5;
const projectPages = [
  "",
  "/run",
  "/review",
  "/dashboard",
  "/metadata",
  "/models",
  "/settings",
  "/evaluate",
  "/export",
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export const pageTimeBenchmark: Benchmark = {
  name: "page-time",
  description:
    "median server time (to response headers) of every page of a production build, after a warm-up",
  run: async ({ databaseUrl }) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
    const project = await pool.query<{ id: number }>(
      'INSERT INTO "Project" (name, "updatedAt") VALUES ($1, now()) RETURNING id',
      [`bench pages ${new Date().toISOString()}`],
    );
    await pool.end();
    const projectId = project.rows[0]!.id;
    const server = await startAppServer(databaseUrl);
    try {
      const rows: BenchmarkRow[] = [];
      for (const page of ["/", ...projectPages.map((suffix) => `/projects/${projectId}${suffix}`)]) {
        const first = await timeToHeaders(server.url + page);
        if (first.status !== 200) throw new Error(`${page} answered ${first.status}`);
        const times: number[] = [];
        for (let index = 0; index < samples; index++) times.push((await timeToHeaders(server.url + page)).ms);
        const value = median(times);
        const label = page.replace(`/projects/${projectId}`, "/projects/:id");
        rows.push({
          metric: `${label} (first ${first.ms.toFixed(0)} ms)`,
          value: `${value.toFixed(1)} ms`,
          goal: `< ${goalMs} ms`,
          met: value < goalMs,
        });
      }
      return rows;
    } finally {
      await server.stop();
    }
  },
};

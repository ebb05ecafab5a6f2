// Every benchmark `npm run bench` knows, in the order they run.
import { engineBenchmark } from "./engine";
import { exportBenchmark } from "./export";
import { globalLimitsBenchmark } from "./global-limits";
import { pageTimeBenchmark } from "./page-time";
import { reviewQueriesBenchmark } from "./review-queries";
import { benchSeedImport } from "./seed-import";
import type { Benchmark } from "./types";

const seedImport: Benchmark = {
  name: "seed-import",
  description: "decode → parse → extract → bulk import of a generated 100,000-line JSONL file",
  run: async ({ databaseUrl }) => {
    const result = await benchSeedImport(databaseUrl);
    return [
      { metric: "lines", value: result.lines.toLocaleString("en-US") },
      { metric: "seconds", value: result.seconds.toFixed(2) },
      {
        metric: "lines/s",
        value: Math.round(result.linesPerSecond).toLocaleString("en-US"),
        goal: "≥ 20,000",
        met: result.linesPerSecond >= 20_000,
      },
    ];
  },
};

export const benchmarks: Benchmark[] = [
  seedImport,
  engineBenchmark,
  reviewQueriesBenchmark,
  exportBenchmark,
  pageTimeBenchmark,
  globalLimitsBenchmark,
];

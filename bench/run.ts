// `npm run bench [name ...]`: runs the benchmarks against a throwaway database and the fake LLM server, prints
// the figures with the machine and date, and appends them to BENCHMARKS.md (formatted by Prettier, so the tree
// still passes `npm run lint` after a bench).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import * as prettier from "prettier";
import { repoPath } from "@/lib/repo-root";
import { createThrowawayDatabase } from "../test/throwaway-database";
import { benchmarks } from "./registry";

const selected = process.argv.slice(2);
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "CPU"}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}`;
const date = new Date().toISOString().slice(0, 16).replace("T", " ");

const database = await createThrowawayDatabase("bench");
const lines: string[] = [];
let failed = false;
try {
  for (const benchmark of benchmarks) {
    if (selected.length > 0 && !selected.includes(benchmark.name)) continue;
    console.log(`\n▶ ${benchmark.name}: ${benchmark.description}`);
    try {
      const rows = await benchmark.run({ databaseUrl: database.url });
      for (const row of rows) {
        const verdict = row.goal ? ` (goal ${row.goal}: ${row.met ? "met" : "NOT met"})` : "";
        const line = `| ${benchmark.name} | ${row.metric} | ${row.value} | ${row.goal ?? ""} | ${row.goal ? (row.met ? "yes" : "no") : ""} |`;
        console.log(`  ${row.metric}: ${row.value}${verdict}`);
        lines.push(line);
      }
    } catch (error) {
      failed = true;
      console.error(`  failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      lines.push(
        `| ${benchmark.name} | failed | ${error instanceof Error ? error.message.replaceAll("|", "/") : "error"} | | no |`,
      );
    }
  }
} finally {
  await database.drop();
}

const file = repoPath("BENCHMARKS.md");
const before = existsSync(file)
  ? readFileSync(file, "utf8")
  : "# Benchmarks\n\nAppended by `npm run bench`; newest last.\n";
const section = `\n## ${date} UTC — ${machine}\n\n| benchmark | metric | value | goal | met |\n|---|---|---|---|---|\n${lines.join("\n")}\n`;
const prettierOptions = (await prettier.resolveConfig(file)) ?? {};
writeFileSync(file, await prettier.format(before + section, { ...prettierOptions, filepath: file }));
console.log(`\nAppended to BENCHMARKS.md (${machine}, ${date} UTC)`);
process.exit(failed ? 1 : 0);

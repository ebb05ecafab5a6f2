// Seed import end to end: a 100,000-line JSONL file in memory → decode → parse → extract → importSeeds into a
// fresh project. The target is at least 20,000 lines per second. The project is deleted afterwards.
import pg from "pg";
import { importSeeds } from "@/lib/db/seeds";
import { decodeSeedFile, extractSeeds, parseSeedFile } from "@/lib/formats/seed-file";

const lineCount = 100_000;
const fileName = "bench-seeds.jsonl";

const verbs = ["Write", "Summarize", "Explain", "Translate", "Classify", "Plan", "Critique", "Rewrite"];
const topics = [
  "a bakery's business plan",
  "photosynthesis",
  "a SQL query",
  "a travel itinerary",
  "a cover letter",
];

/** Distinct instructions of realistic length; every third one has an input. */
function generateSeedFile(lines: number): Uint8Array {
  const rows: string[] = [];
  for (let index = 0; index < lines; index++) {
    const verb = verbs[index % verbs.length]!;
    const topic = topics[index % topics.length]!;
    const instruction = `${verb} ${topic} for reader #${index}, keeping it under ${50 + (index % 200)} words.`;
    const input =
      index % 3 === 0 ? `Context for task ${index}:\n- tone: friendly\n- audience: "beginners"` : "";
    rows.push(JSON.stringify({ id: `bench_${index}`, instruction, input }));
  }
  return new TextEncoder().encode(`${rows.join("\n")}\n`);
}

export async function benchSeedImport(
  databaseUrl: string,
): Promise<{ lines: number; seconds: number; linesPerSecond: number }> {
  const bytes = generateSeedFile(lineCount);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const project = await pool.query<{ id: number }>(
      'INSERT INTO "Project" (name, "updatedAt") VALUES ($1, now()) RETURNING id',
      [`bench seed import ${new Date().toISOString()}`],
    );
    const projectId = project.rows[0]!.id;
    try {
      const started = performance.now();
      const decoded = decodeSeedFile(bytes, fileName);
      const parsed = parseSeedFile(decoded.text, { fileName });
      const extracted = extractSeeds(parsed, { instructionField: "instruction", inputField: "input" });
      if (extracted.errorCount > 0)
        throw new Error(`The generated file has errors: ${extracted.errors[0]?.message}`);
      const result = await importSeeds(pool, {
        projectId,
        fileName,
        format: parsed.format,
        instructionField: "instruction",
        inputField: "input",
        seeds: extracted.seeds,
        sha256: decoded.sha256,
      });
      const seconds = (performance.now() - started) / 1000;
      if (result.imported !== lineCount) throw new Error(`Imported ${result.imported} of ${lineCount} seeds`);
      return { lines: lineCount, seconds, linesPerSecond: lineCount / seconds };
    } finally {
      await pool.query('DELETE FROM "Project" WHERE id = $1', [projectId]);
    }
  } finally {
    await pool.end();
  }
}

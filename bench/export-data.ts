// Generated kept pairs for the export benchmark: one project, one run, 2,000 metadata entries and N kept
// instruction versions, each with a strong and a target answer of realistic length (~1 KB kept side), a few
// human decisions and edits. Built set-based with INSERT … SELECT generate_series.
import type pg from "pg";

export interface GeneratedExportData {
  projectId: number;
  runId: number;
  rows: number;
  seconds: number;
}

export async function generateExportData(pool: pg.Pool, rows: number): Promise<GeneratedExportData> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query("SET work_mem = '256MB'");
    await client.query("SET maintenance_work_mem = '512MB'");
    const projectId = (
      await client.query<{ id: number }>(
        `INSERT INTO "Project" (name, "updatedAt") VALUES ($1, now()) RETURNING id`,
        [`bench export ${new Date().toISOString()}`],
      )
    ).rows[0]!.id;
    const runId = (
      await client.query<{ id: number }>(
        `INSERT INTO "Run" ("projectId", state, "configSnapshot", "randomSeed") VALUES ($1, 'completed', '{}', 0)
         RETURNING id`,
        [projectId],
      )
    ).rows[0]!.id;
    const metadataIds = (
      await client.query<{ id: number }>(
        `INSERT INTO "MetadataEntry" ("projectId", "useCase", skills, origin, key, checked, plausible)
         SELECT $1, 'Use case ' || (m % 40),
                ARRAY(SELECT 'skill_' || ((m * 7 + s * 13) % 60) FROM generate_series(0, m % 3) s),
                'mixed', 'bench export ' || m, true, true
         FROM generate_series(0, 1999) m ORDER BY m RETURNING id`,
        [projectId],
      )
    ).rows.map((row) => row.id);

    // Every tenth pair keeps the target's answer; 5% accepted, 1% rejected, 2% with an edited answer.
    await client.query(
      `INSERT INTO "InstructionVersion" ("projectId", "runId", "metadataId", iteration, text, state, "keptAnswer",
         "promptVersion", "strongScore", "targetScore", gap, "reviewDecision", "editedText", "editedAnswer",
         "updatedAt")
       SELECT $1, $2, ($3::int[])[1 + i % 2000], 1 + i % 4,
         'Write a practical guide on topic ' || i || ' for readers new to it: cover the basics, give two '
           || 'worked examples, point out a common mistake and end with three follow-up questions.',
         'kept', CASE WHEN i % 10 = 0 THEN 'target' ELSE 'strong' END::"KeptAnswer", 'bench',
         CASE WHEN i % 10 = 0 THEN 3.5 ELSE 8.5 END, CASE WHEN i % 10 = 0 THEN 8 ELSE 4 END,
         CASE WHEN i % 10 = 0 THEN -4.5 ELSE 4.5 END,
         CASE WHEN i % 100 < 5 THEN 'accepted' WHEN i % 100 = 5 THEN 'rejected' END::"ReviewDecision",
         CASE WHEN i % 50 = 7 THEN 'Write a concise practical guide on topic ' || i || '.' END,
         CASE WHEN i % 50 = 7 THEN 'An edited answer for topic ' || i || '.' END,
         now()
       FROM generate_series(1, $4::int) i`,
      [projectId, runId, metadataIds, rows],
    );
    await client.query(
      `INSERT INTO "Response" ("instructionVersionId", role, model, text, "promptTokens", "completionTokens")
       SELECT v.id, role, role || '-model',
         '## Guide ' || v.id || E'\\n\\n' || repeat('This paragraph walks through one practical step with a '
           || E'concrete example, a "quoted" caveat and a tip.\\n', CASE WHEN role = 'strong' THEN 9 ELSE 4 END
           + v.id % 4),
         120, 300
       FROM "InstructionVersion" v, unnest(ARRAY['strong', 'target']::"EndpointRole"[]) role
       WHERE v."projectId" = $1`,
      [projectId],
    );
    for (const table of ["InstructionVersion", "Response", "MetadataEntry"]) {
      await client.query(`VACUUM ANALYZE "${table}"`);
    }
    return { projectId, runId, rows, seconds: (performance.now() - started) / 1000 };
  } finally {
    client.release();
  }
}

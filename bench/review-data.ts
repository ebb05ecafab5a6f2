// Generated review data for the review-queries benchmark: one project with runs, a metadata pool with rubric sets,
// and N instruction versions shaped like the pipeline's output (chains of 1–4 iterations; every version but the
// last of a chain is "improved"; kept/dropped/pending/failed at the end; scores and gap denormalized as the filter
// writes them; a few human decisions). Everything is built by set-based INSERT … SELECT generate_series.
import type pg from "pg";

export const useCases = [
  "Coding help",
  "Travel planning",
  "Personal finance",
  "Creative writing",
  "Email drafting",
  "Data analysis",
  "Cooking",
  "Fitness coaching",
  "Legal questions",
  "Medical triage",
  "Customer support",
  "Math tutoring",
  "History essays",
  "Language learning",
  "Job interviews",
  "Marketing copy",
  "Product reviews",
  "Science explainers",
  "Gardening",
  "Home repair",
  "Parenting advice",
  "Event planning",
  "Resume writing",
  "Philosophy discussion",
  "Music theory",
  "Game design",
  "Poetry",
  "SQL queries",
  "DevOps",
  "Security review",
  "Statistics homework",
  "Board games",
  "Car maintenance",
  "Pet care",
  "Meditation",
  "Negotiation",
  "Public speaking",
  "Translation",
  "Summarization",
  "Brainstorming",
] as const;

export const skills = Array.from({ length: 60 }, (_, index) => `skill_${String(index).padStart(2, "0")}`);

const verbs = [
  "Write",
  "Explain",
  "Summarize",
  "Draft",
  "Compare",
  "Plan",
  "Debug",
  "Translate",
  "Outline",
  "Critique",
  "Design",
  "Rewrite",
];
const topics = [
  "recursion",
  "photosynthesis",
  "inflation",
  "mortgages",
  "sonnets",
  "compilers",
  "volcanoes",
  "sourdough",
  "marathons",
  "contracts",
  "vaccines",
  "refunds",
  "fractions",
  "revolutions",
  "idioms",
  "interviews",
  "slogans",
  "headphones",
  "entropy",
  "tomatoes",
  "plumbing",
  "toddlers",
  "weddings",
  "resumes",
  "ethics",
  "chords",
  "puzzles",
  "haiku",
  "indexes",
  "containers",
  "passwords",
  "regressions",
  "chess",
  "brakes",
  "puppies",
  "breathing",
  "salaries",
  "speeches",
  "dialects",
  "articles",
  "ideas",
  "budgets",
  "gardens",
  "telescopes",
  "glaciers",
  "spreadsheets",
  "violins",
  "satellites",
  "earthquakes",
  "algorithms",
];
const audiences = [
  "beginners",
  "experts",
  "children",
  "managers",
  "students",
  "retirees",
  "engineers",
  "teachers",
  "nurses",
  "lawyers",
];
const constraints = [
  "Use exactly three bullet points.",
  "Keep it under 120 words.",
  "Include one concrete example.",
  "Answer in a formal tone.",
  "Cite a plausible source.",
  "End with a question for the reader.",
  "Avoid technical jargon.",
  "Add a short table comparing options.",
  "Give step-by-step reasoning.",
  "Mention a common misconception.",
  "Use a metaphor from cooking.",
  "Address a skeptical reader.",
];
const actions = [
  "Add constraints",
  "Deepen the reasoning",
  "Concretize the request",
  "Increase the number of steps",
];

/** What was generated: the project (deleted by the caller), its runs, the number of versions and the first id. */
export interface GeneratedReviewData {
  projectId: number;
  runIds: number[];
  rows: number;
  firstVersionId: number;
  seconds: number;
}

async function ids(client: pg.PoolClient, sql: string, params: unknown[]): Promise<number[]> {
  return (await client.query<{ id: number }>(sql, params)).rows.map((row) => row.id);
}

/** The versions: chains of 1–4 iterations whose last version carries the outcome, with denormalized scores. */
async function insertVersions(
  client: pg.PoolClient,
  input: {
    base: number;
    rows: number;
    projectId: number;
    runIds: number[];
    metadataIds: number[];
    part: number;
    parts: number;
  },
): Promise<void> {
  await client.query(
    `WITH chains AS (
         SELECT c, CASE WHEN h < 50 THEN 1 WHEN h < 75 THEN 2 WHEN h < 90 THEN 3 ELSE 4 END AS len
         FROM (SELECT c, (hashint4(c) & 2147483647) % 100 AS h FROM generate_series(0, ($2::int / 1.8)::int) c) AS hashed
       ), positioned AS (
         SELECT c, len, sum(len) OVER (ORDER BY c) - len AS start FROM chains
       ), versions AS (
         SELECT c, len, k, start + k - 1 AS pos, (hashint4(c * 7 + 3) & 2147483647) % 100 AS fate,
                (hashint4(c * 7 + k) & 2147483647) AS h
         FROM positioned, generate_series(1, len) k
         WHERE start + k - 1 < $2 AND c % $12 = $11
       ), shaped AS (
         SELECT *,
           CASE WHEN k < len THEN 'improved'
                WHEN fate < 2 THEN 'pending' WHEN fate < 3 THEN 'failed'
                WHEN len < 4 OR fate < 45 THEN 'kept' ELSE 'dropped' END::"InstructionState" AS state
         FROM versions
       ), scored AS (
         SELECT *,
           CASE WHEN state IN ('pending', 'failed') THEN NULL
                WHEN state = 'kept' AND h % 10 = 0 THEN -3.5 - (h / 10 % 12) * 0.5 -- the target's answer won
                WHEN state = 'kept' THEN 3.5 + (h % 12) * 0.5
                ELSE -1 + (h % 9) * 0.5 END AS g,
           5 + (h / 16 % 11) * 0.5 AS base_score
         FROM shaped
       )
       INSERT INTO "InstructionVersion" (id, "projectId", "runId", "metadataId", "rootId", "parentId", iteration,
         "slotKey", "actionApplied", text, state, "keptAnswer", "dropReason", "promptVersion", "strongScore",
         "targetScore", gap, "reviewDecision", "createdAt", "updatedAt")
       SELECT $1::int + pos, $3::int, ($4::int[])[1 + c % 5], ($5::int[])[1 + (hashint4(c + 11) & 2147483647) % 2000],
         $1::int + pos - k + 1, CASE WHEN k > 1 THEN $1::int + pos - 1 END, k,
         CASE WHEN k = 1 THEN 'decode:' || c END,
         CASE WHEN k > 1 THEN ($6::text[])[1 + h % 4] END,
         ($7::text[])[1 + c % 12] || ' a short guide on ' || ($8::text[])[1 + (hashint4(c + 5) & 2147483647) % 50]
           || ' about item ' || (c % 997) || ' for ' || ($9::text[])[1 + c % 10] || '.'
           || CASE WHEN k > 1 THEN ' ' || array_to_string(($10::text[])[1 + c % 4 : c % 4 + k - 1], ' ') ELSE '' END,
         state, CASE WHEN state = 'kept' THEN (CASE WHEN g < 0 THEN 'target' ELSE 'strong' END)::"KeptAnswer" END,
         CASE WHEN state = 'failed' THEN 'judge returned invalid JSON' END, 'bench',
         -- The better answer scores base + |gap| / 2 (at most 10), the other |gap| less.
         CASE WHEN g >= 0 THEN LEAST(10, base_score + g / 2) ELSE LEAST(10, base_score - g / 2) + g END,
         CASE WHEN g >= 0 THEN LEAST(10, base_score + g / 2) - g ELSE LEAST(10, base_score - g / 2) END,
         g,
         CASE WHEN state = 'kept' AND h % 100 < 5 THEN 'accepted'::"ReviewDecision"
              WHEN state = 'kept' AND h % 100 < 7 THEN 'rejected'::"ReviewDecision" END,
         now() - interval '30 days' + pos * interval '2 seconds', now()
       FROM scored`,
    [
      input.base,
      input.rows,
      input.projectId,
      input.runIds,
      input.metadataIds,
      actions,
      verbs,
      topics,
      audiences,
      constraints,
      input.part,
      input.parts,
    ],
  );
}

/**
 * Inserts `rows` instruction versions into a new project. Ids come from the table's sequence (a block is reserved
 * up front) so other data in the same database is untouched. Returns the project id; the caller deletes it.
 */
export async function generateReviewData(pool: pg.Pool, rows: number): Promise<GeneratedReviewData> {
  const started = performance.now();
  const client = await pool.connect();
  try {
    await client.query("SET work_mem = '256MB'");
    await client.query("SET maintenance_work_mem = '512MB'");
    const projectId = (
      await client.query<{ id: number }>(
        `INSERT INTO "Project" (name, "updatedAt") VALUES ($1, now()) RETURNING id`,
        [`bench review ${new Date().toISOString()}`],
      )
    ).rows[0]!.id;
    const runIds = await ids(
      client,
      `INSERT INTO "Run" ("projectId", state, "configSnapshot", "randomSeed")
       SELECT $1, 'completed', '{}', r FROM generate_series(1, 5) r ORDER BY r RETURNING id`,
      [projectId],
    );
    // 2,000 metadata entries; use cases skewed (popular ones ~15% of rows, rare ones < 0.5%), 1–3 skills each.
    const metadataIds = await ids(
      client,
      `INSERT INTO "MetadataEntry" ("projectId", "useCase", skills, origin, key, checked, plausible)
       SELECT $1, ($2::text[])[1 + floor(40 * power(((hashint4(m) & 2147483647) % 1000) / 1000.0, 2))::int],
              ARRAY(SELECT ($3::text[])[1 + (m * 7 + s * 13) % 60] FROM generate_series(0, m % 3) s),
              'mixed', 'bench ' || m, true, true
       FROM generate_series(0, 1999) m ORDER BY m RETURNING id`,
      [projectId, useCases, skills],
    );
    await client.query(
      `INSERT INTO "RubricSet" ("metadataId", rubrics, actions, "promptVersion")
       SELECT id, ARRAY['Checks ' || "useCase" || ' accuracy', 'Rewards depth'], $2::text[], 'bench'
       FROM "MetadataEntry" WHERE "projectId" = $1`,
      [projectId, actions],
    );

    // Reserve a block of ids so parent/root links can be computed in SQL.
    const sequence = `pg_get_serial_sequence('"InstructionVersion"', 'id')`;
    const base = Number(
      (await client.query<{ base: string }>(`SELECT nextval(${sequence}) AS base`)).rows[0]!.base,
    );
    await client.query(`SELECT setval(${sequence}, $1)`, [base + rows]);

    // Bulk-load practice: drop the table's secondary indexes, insert, rebuild them (sorted builds instead of a
    // million random insertions into indexes larger than shared_buffers). The rebuilt indexes are identical.
    const indexes = await client.query<{ name: string; definition: string }>(
      `SELECT indexname AS name, indexdef AS definition FROM pg_indexes
       WHERE schemaname = current_schema() AND tablename = 'InstructionVersion' AND indexname <> 'InstructionVersion_pkey'`,
    );
    for (const index of indexes.rows) await client.query(`DROP INDEX "${index.name}"`);
    try {
      // Two connections, each inserting every other chain: to_tsvector and the foreign-key checks use both cores.
      const parts = 2;
      const helpers = await Promise.all(Array.from({ length: parts - 1 }, () => pool.connect()));
      try {
        await Promise.all(
          [client, ...helpers].map((connection, part) =>
            insertVersions(connection, { base, rows, projectId, runIds, metadataIds, part, parts }),
          ),
        );
      } finally {
        for (const helper of helpers) helper.release();
      }
    } finally {
      for (const index of indexes.rows) await client.query(index.definition);
    }

    // Answers and judgements for the first chains, so the detail query has something to read.
    await client.query(
      `INSERT INTO "Response" ("instructionVersionId", role, model, text)
       SELECT id, role, role || '-model', '**Answer** for version ' || id || E'\\n\\n- point one\\n- point two'
       FROM "InstructionVersion", unnest(ARRAY['strong', 'target']::"EndpointRole"[]) role
       WHERE "projectId" = $1 AND id < $2 + 5000 AND gap IS NOT NULL`,
      [projectId, base],
    );
    await client.query(
      `INSERT INTO "Judgement" ("instructionVersionId", "judgeModel", "strongScoreOrderA", "targetScoreOrderA",
         "strongScoreOrderB", "targetScoreOrderB", "strongScore", "targetScore", gap, threshold, decision, "promptVersion")
       SELECT id, 'judge-model', "strongScore", "targetScore", "strongScore", "targetScore", "strongScore",
         "targetScore", gap, 3, CASE WHEN state = 'kept' AND gap < 0 THEN 'keep_target' WHEN state = 'kept' THEN 'keep_strong'
         WHEN state = 'improved' THEN 'next_iteration' ELSE 'drop' END::"FilterDecision", 'bench'
       FROM "InstructionVersion" WHERE "projectId" = $1 AND id < $2 + 5000 AND gap IS NOT NULL`,
      [projectId, base],
    );
    // A settled table: statistics for the planner and a visibility map for index-only scans.
    for (const table of ["InstructionVersion", "MetadataEntry", "RubricSet", "Run"]) {
      await client.query(`VACUUM ANALYZE "${table}"`);
    }
    return { projectId, runIds, rows, firstVersionId: base, seconds: (performance.now() - started) / 1000 };
  } finally {
    client.release();
  }
}

// The rows an export reads: kept instructions of one project, matching the filter, never rejected ones, with
// the kept side's answer and the metadata, read in id order from a server-side cursor (flat memory at any size).
import type { Queryable } from "@/lib/db/sql";
import type { ExportFilter, ExportOptions } from "@/lib/schemas/export";

export interface KeptRecordRow {
  id: number;
  text: string;
  editedText: string | null;
  editedAnswer: string | null;
  /** The kept side's response. */
  answer: string;
  iteration: number;
  strongScore: number | null;
  targetScore: number | null;
  gap: number | null;
  keptAnswer: "strong" | "target";
  runId: number;
  useCase: string;
  skills: string[];
  /** The other side's response (read for preference shapes and full provenance). */
  rejectedAnswer?: string;
  /** Read with full provenance only. */
  full?: FullProvenanceRow;
}

export interface FullProvenanceRow {
  metadataId: number;
  metadataOrigin: string;
  promptVersion: string;
  strongAnswer: string;
  targetAnswer: string;
  strongModel: string | null;
  targetModel: string | null;
  judgeModel: string | null;
  judgePromptVersion: string | null;
  strongScoreOrderA: number | null;
  targetScoreOrderA: number | null;
  strongScoreOrderB: number | null;
  targetScoreOrderB: number | null;
  runConfigSha256: string;
  chain: Array<{ iteration: number; action: string | null; text: string }>;
}

/** What an export reads per row: the kept answer only, both answers, or the whole trace. */
export type ExportDetail = "kept" | "both" | "full";

export const exportBatchSize = 1_000;

// The kept answer is the Response whose role matches keptAnswer (both enums share the labels strong/target).
// A LATERAL … LIMIT 1 keeps it one index lookup per row: as a plain join the planner misjudges the role match
// and hashes the whole Response table for every batch.
const rowsFromClause = `FROM "InstructionVersion" v
  JOIN "MetadataEntry" m ON m.id = v."metadataId"
  CROSS JOIN LATERAL (
    SELECT r.text FROM "Response" r
    WHERE r."instructionVersionId" = v.id AND r.role = v."keptAnswer"::text::"EndpointRole"
    LIMIT 1
  ) r`;

// Both answers, one index lookup each (the preference shapes' rejected side, full provenance).
const bothAnswersClause = `
  CROSS JOIN LATERAL (
    SELECT r.text, r.model FROM "Response" r
    WHERE r."instructionVersionId" = v.id AND r.role = 'strong' LIMIT 1
  ) rs
  CROSS JOIN LATERAL (
    SELECT r.text, r.model FROM "Response" r
    WHERE r."instructionVersionId" = v.id AND r.role = 'target' LIMIT 1
  ) rt`;

// The trace of full provenance: the judgement, the run's config hash and the chain of texts up to this version.
const fullClause = `
  LEFT JOIN "Judgement" j ON j."instructionVersionId" = v.id
  JOIN "Run" run ON run.id = v."runId"
  CROSS JOIN LATERAL (
    WITH RECURSIVE chain AS (
      SELECT c.id, c."parentId", c.iteration, c."actionApplied", c.text FROM "InstructionVersion" c WHERE c.id = v.id
      UNION ALL
      SELECT p.id, p."parentId", p.iteration, p."actionApplied", p.text
      FROM "InstructionVersion" p JOIN chain ON p.id = chain."parentId"
    )
    SELECT json_agg(json_build_object('iteration', iteration, 'action', "actionApplied", 'text', text)
      ORDER BY iteration) AS steps FROM chain
  ) chain`;

const fullColumns = `json_build_object(
    'metadataId', v."metadataId", 'metadataOrigin', m.origin::text, 'promptVersion', v."promptVersion",
    'strongAnswer', rs.text, 'targetAnswer', rt.text, 'strongModel', rs.model, 'targetModel', rt.model,
    'judgeModel', j."judgeModel", 'judgePromptVersion', j."promptVersion",
    'strongScoreOrderA', j."strongScoreOrderA", 'targetScoreOrderA', j."targetScoreOrderA",
    'strongScoreOrderB', j."strongScoreOrderB", 'targetScoreOrderB', j."targetScoreOrderB",
    'runConfigSha256', encode(sha256(convert_to(run."configSnapshot"::text, 'UTF8')), 'hex'),
    'chain', chain.steps
  ) AS full`;

/** WHERE clause and its parameters; `$1` is the project id. The state is always kept, whatever the filter says. */
export function exportWhere(
  projectId: number,
  filter: ExportFilter,
  options: Pick<ExportOptions, "onlyAccepted">,
): { sql: string; params: unknown[] } {
  const params: unknown[] = [projectId];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const conditions = [
    `v."projectId" = $1`,
    `v.state = 'kept'`,
    `v."keptAnswer" IS NOT NULL`,
    // A human rejection always wins over the filter.
    `v."reviewDecision" IS DISTINCT FROM 'rejected'`,
  ];
  if (options.onlyAccepted) conditions.push(`v."reviewDecision" = 'accepted'`);
  if (filter.decision === "unreviewed") conditions.push(`v."reviewDecision" IS NULL`);
  else if (filter.decision)
    conditions.push(`v."reviewDecision" = ${param(filter.decision)}::"ReviewDecision"`);
  if (filter.gapMin !== undefined) conditions.push(`v.gap >= ${param(filter.gapMin)}`);
  if (filter.gapMax !== undefined) conditions.push(`v.gap <= ${param(filter.gapMax)}`);
  if (filter.iteration !== undefined) conditions.push(`v.iteration = ${param(filter.iteration)}`);
  if (filter.runId !== undefined) conditions.push(`v."runId" = ${param(filter.runId)}`);
  if (filter.useCase !== undefined) conditions.push(`m."useCase" = ${param(filter.useCase)}`);
  if (filter.skill !== undefined) conditions.push(`m.skills @> ARRAY[${param(filter.skill)}]::text[]`);
  if (filter.search !== undefined) {
    conditions.push(`v."searchVector" @@ websearch_to_tsquery('english', ${param(filter.search)})`);
  }
  return { sql: conditions.join(" AND "), params };
}

/** How many records an export with this filter and these options would hold. */
export async function countExportRecords(
  db: Queryable,
  input: { projectId: number; filter: ExportFilter; options: Pick<ExportOptions, "onlyAccepted"> },
): Promise<number> {
  const where = exportWhere(input.projectId, input.filter, input.options);
  // A version is only settled as kept once both answers are stored, so the count needs no Response lookup
  // (which would make it ~5× slower at a million rows); the metadata join only when the filter needs it.
  const needsMetadata = input.filter.useCase !== undefined || input.filter.skill !== undefined;
  const from = needsMetadata
    ? `FROM "InstructionVersion" v JOIN "MetadataEntry" m ON m.id = v."metadataId"`
    : `FROM "InstructionVersion" v`;
  const result = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count ${from} WHERE ${where.sql}`,
    where.params,
  );
  return result.rows[0]?.count ?? 0;
}

/**
 * Yields the matching rows in id order, `batchSize` at a time, from a server-side cursor (DECLARE … FETCH):
 * memory holds two batches (one being written, the next being read) whatever the total, and the query is planned
 * once (keyset pages re-plan and re-descend the indexes per page: half the speed at 1,000 rows a page).
 * `client` must be inside a transaction (the cursor lives until its end); REPEATABLE READ gives one snapshot.
 */
export async function* readKeptRecordBatches(
  client: Queryable,
  input: {
    projectId: number;
    filter: ExportFilter;
    options: Pick<ExportOptions, "onlyAccepted" | "applyEdits">;
    batchSize?: number;
    /** Default "kept": only the kept answer. */
    detail?: ExportDetail;
  },
): AsyncGenerator<KeptRecordRow[]> {
  const detail = input.detail ?? "kept";
  const where = exportWhere(input.projectId, input.filter, input.options);
  const batchSize = Math.max(1, Math.floor(input.batchSize ?? exportBatchSize));
  const edits = input.options.applyEdits
    ? `v."editedText", v."editedAnswer"`
    : `NULL::text AS "editedText", NULL::text AS "editedAnswer"`;
  const cursor = "kept_records_export";
  const extraColumns =
    detail === "kept"
      ? ""
      : `, CASE WHEN v."keptAnswer" = 'strong' THEN rt.text ELSE rs.text END AS "rejectedAnswer"` +
        (detail === "full" ? `, ${fullColumns}` : "");
  const extraJoins = detail === "kept" ? "" : bothAnswersClause + (detail === "full" ? fullClause : "");
  await client.query(
    `DECLARE ${cursor} NO SCROLL CURSOR FOR
     SELECT v.id, v.text, ${edits}, r.text AS answer, v.iteration, v."strongScore", v."targetScore",
       v.gap, v."keptAnswer"::text AS "keptAnswer", v."runId", m."useCase", m.skills${extraColumns}
     ${rowsFromClause}${extraJoins}
     WHERE ${where.sql}
     ORDER BY v.id`,
    where.params,
  );
  const fetch = () => client.query<KeptRecordRow>(`FETCH ${batchSize} FROM ${cursor}`);
  // The next batch is requested before this one is handed on, so PostgreSQL reads it while we write this one.
  let next: ReturnType<typeof fetch> | null = fetch();
  try {
    while (next) {
      const rows: KeptRecordRow[] = (await next).rows;
      next = rows.length === batchSize ? fetch() : null;
      if (rows.length > 0) yield rows;
    }
    await client.query(`CLOSE ${cursor}`);
  } finally {
    // Stopped early (the writer failed): settle the read-ahead so its outcome is never an unhandled rejection.
    if (next) {
      await next.then(
        () => undefined,
        () => undefined,
      );
    }
  }
}

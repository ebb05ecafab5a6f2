// Instruction versions as the pipeline writes them: basic instructions keyed by slot, children keyed by parent
// (so a repeated job never creates a second one), answers per (version, role), one judgement per version, and
// state changes that only move a pending version.
import type { Queryable } from "@/lib/db/sql";

export type VersionState = "pending" | "kept" | "improved" | "dropped" | "failed" | "surplus";

export interface StoredResponse {
  role: "strong" | "target";
  text: string;
}

export interface StoredJudgement {
  strongScoreOrderA: number;
  targetScoreOrderA: number;
  strongScoreOrderB: number;
  targetScoreOrderB: number;
  strongScore: number;
  targetScore: number;
  gap: number;
  decision: "keep_strong" | "keep_target" | "next_iteration" | "drop";
  /** The judge's two orders disagreed in sign (flagged; see judge-check). */
  orderInconsistent?: boolean;
}

/** Everything a version job needs, in one query. */
export interface VersionForJob {
  id: number;
  projectId: number;
  runId: number;
  metadataId: number;
  rootId: number | null;
  iteration: number;
  text: string;
  state: VersionState;
  /** Passed the run-wide near-duplicate and contamination screen. */
  screened: boolean;
  /** The basic instruction's slot key ("decode:<metadataId>:<round>:<index>"): the chain's stable identity. */
  rootSlotKey: string | null;
  metadataKey: string;
  actions: string[] | null;
  responses: StoredResponse[];
  judgement: StoredJudgement | null;
}

export async function loadVersionForJob(q: Queryable, versionId: number): Promise<VersionForJob | null> {
  const result = await q.query<VersionForJob>(
    `SELECT v.id, v."projectId", v."runId", v."metadataId", v."rootId", v.iteration, v.text, v.state::text AS state,
       v."screenOrder" IS NOT NULL AS screened, root."slotKey" AS "rootSlotKey", m.key AS "metadataKey", rs.actions,
       COALESCE((SELECT json_agg(json_build_object('role', r.role, 'text', r.text))
                 FROM "Response" r WHERE r."instructionVersionId" = v.id), '[]'::json) AS responses,
       (SELECT json_build_object('strongScoreOrderA', j."strongScoreOrderA", 'targetScoreOrderA', j."targetScoreOrderA",
                 'strongScoreOrderB', j."strongScoreOrderB", 'targetScoreOrderB', j."targetScoreOrderB",
                 'strongScore', j."strongScore", 'targetScore', j."targetScore", 'gap', j.gap, 'decision', j.decision,
                 'orderInconsistent', j."orderInconsistent")
        FROM "Judgement" j WHERE j."instructionVersionId" = v.id) AS judgement
     FROM "InstructionVersion" v
     JOIN "MetadataEntry" m ON m.id = v."metadataId"
     LEFT JOIN "InstructionVersion" root ON root.id = v."rootId"
     LEFT JOIN "RubricSet" rs ON rs."metadataId" = v."metadataId"
     WHERE v.id = $1`,
    [versionId],
  );
  return result.rows[0] ?? null;
}

export function basicSlotKey(metadataId: number, round: number, index: number): string {
  return `decode:${metadataId}:${round}:${index}`;
}

/** Round and index of a basic instruction's slot key; null for anything else. */
export function parseBasicSlotKey(
  slotKey: string | null,
): { metadataId: number; round: number; index: number } | null {
  const match = slotKey ? /^decode:(\d+):(\d+):(\d+)$/.exec(slotKey) : null;
  if (!match) return null;
  return { metadataId: Number(match[1]), round: Number(match[2]), index: Number(match[3]) };
}

/** Inserts the basic instructions of one decode round (existing slots are left alone); returns every slot's version. */
export async function insertBasicVersions(
  q: Queryable,
  input: {
    projectId: number;
    runId: number;
    metadataId: number;
    round: number;
    texts: readonly string[];
    promptVersion: string;
  },
): Promise<Array<{ id: number; iteration: number; state: VersionState }>> {
  const slots = input.texts.map((_, index) => basicSlotKey(input.metadataId, input.round, index));
  if (slots.length === 0) return [];
  await q.query(
    `INSERT INTO "InstructionVersion" ("projectId", "runId", "metadataId", iteration, "slotKey", text, "promptVersion", "updatedAt")
     SELECT $1, $2, $3, 1, t.slot, t.text, $4, now() FROM unnest($5::text[], $6::text[]) AS t(slot, text)
     ON CONFLICT ("runId", "slotKey") DO NOTHING`,
    [input.projectId, input.runId, input.metadataId, input.promptVersion, slots, [...input.texts]],
  );
  await q.query(
    `UPDATE "InstructionVersion" SET "rootId" = id WHERE "runId" = $1 AND "slotKey" = ANY($2::text[]) AND "rootId" IS NULL`,
    [input.runId, slots],
  );
  const result = await q.query<{ id: number; iteration: number; state: VersionState }>(
    `SELECT id, iteration, state::text AS state FROM "InstructionVersion" WHERE "runId" = $1 AND "slotKey" = ANY($2::text[]) ORDER BY id`,
    [input.runId, slots],
  );
  return result.rows;
}

/** Texts of an entry's basic instructions from earlier decode rounds, in slot order (round, then index). */
export async function listEarlierBasicTexts(
  q: Queryable,
  input: { runId: number; metadataId: number; beforeRound: number },
): Promise<string[]> {
  const result = await q.query<{ text: string; slotKey: string }>(
    `SELECT text, "slotKey" FROM "InstructionVersion"
     WHERE "runId" = $1 AND "metadataId" = $2 AND iteration = 1 AND "slotKey" LIKE 'decode:%'`,
    [input.runId, input.metadataId],
  );
  return result.rows
    .map((row) => ({ text: row.text, slot: parseBasicSlotKey(row.slotKey) }))
    .filter(
      (row): row is { text: string; slot: NonNullable<typeof row.slot> } =>
        row.slot !== null && row.slot.round < input.beforeRound,
    )
    .sort((a, b) => a.slot.round - b.slot.round || a.slot.index - b.slot.index)
    .map((row) => row.text);
}

export interface NewResponse {
  versionId: number;
  role: "strong" | "target";
  model: string;
  text: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  llmCallId: number | null;
}

/** Moves a pending version to its outcome; false when it was no longer pending. */
export async function settleVersion(
  q: Queryable,
  versionId: number,
  outcome: {
    state: Exclude<VersionState, "pending">;
    keptAnswer?: "strong" | "target" | null;
    dropReason?: string | null;
    scores?: { strongScore: number; targetScore: number; gap: number } | null;
  },
): Promise<boolean> {
  const result = await q.query(
    `UPDATE "InstructionVersion" SET state = $2::"InstructionState", "keptAnswer" = $3::"KeptAnswer", "dropReason" = $4,
       "strongScore" = COALESCE($5, "strongScore"), "targetScore" = COALESCE($6, "targetScore"), gap = COALESCE($7, gap),
       "updatedAt" = now()
     WHERE id = $1 AND state = 'pending'`,
    [
      versionId,
      outcome.state,
      outcome.keptAnswer ?? null,
      outcome.dropReason ?? null,
      outcome.scores?.strongScore ?? null,
      outcome.scores?.targetScore ?? null,
      outcome.scores?.gap ?? null,
    ],
  );
  return (result.rowCount ?? 0) > 0;
}

export interface VersionSettlement {
  versionId: number;
  runId: number;
  responses: readonly NewResponse[];
  /** Stored with the version when it was judged in this attempt. */
  judgement:
    | (StoredJudgement & {
        judgeModel: string;
        threshold: number;
        promptVersion: string;
        /** The judge's answers as received (order A, order B) and whether the orders disagree in sign. */
        rawOrderA: string | null;
        rawOrderB: string | null;
        orderInconsistent: boolean;
      })
    | null;
  state: Exclude<VersionState, "pending">;
  keptAnswer: "strong" | "target" | null;
  dropReason: string | null;
  scores: { strongScore: number; targetScore: number; gap: number } | null;
  /** The next iteration (state "improved"). */
  child: { text: string; action: string; promptVersion: string } | null;
  /** An item failure to record (state "failed"). */
  error: { stage: string; message: string; rawOutput: string | null } | null;
  /** The run's target: a "kept" outcome beyond it is stored as "surplus" (see settleKeptVersion). */
  targetSize?: number;
}

export interface SettlementResult {
  settled: boolean;
  /** The state it moved to ("surplus" for a keep beyond the target); null when it was no longer pending. */
  state: VersionState | null;
  childId: number | null;
  keptCount: number | null;
  othersPending: boolean;
}

/**
 * Everything a version job learned, in one statement: new answers and the judgement (kept once), the version's
 * outcome (only if still pending), its child and its error record (only when this call moved it). Returns
 * whether it moved the version, the child's id, and (as of the statement's snapshot) the run's kept count and
 * whether anything else of the run is pending: the target and barrier checks without extra round trips.
 */
export async function storeVersionSettlement(
  q: Queryable,
  input: VersionSettlement,
): Promise<SettlementResult> {
  const r = input.responses;
  const j = input.judgement;
  const result = await q.query<{
    settled: number;
    state: VersionState | null;
    childId: number | null;
    keptCount: number | null;
    othersPending: boolean;
  }>(
    `WITH responses AS (
       INSERT INTO "Response" ("instructionVersionId", role, model, text, "promptTokens", "completionTokens", "latencyMs", "llmCallId")
       SELECT $1, t.role::"EndpointRole", t.model, t.text, t.pt, t.ct, t.latency, t.call
       FROM unnest($3::text[], $4::text[], $5::text[], $6::int[], $7::int[], $8::int[], $9::int[])
         AS t(role, model, text, pt, ct, latency, call)
       ON CONFLICT ("instructionVersionId", role) DO NOTHING
     ), judgement AS (
       INSERT INTO "Judgement" ("instructionVersionId", "judgeModel", "strongScoreOrderA", "targetScoreOrderA",
         "strongScoreOrderB", "targetScoreOrderB", "strongScore", "targetScore", gap, threshold, decision, "promptVersion", "rawOrderA", "rawOrderB", "orderInconsistent")
       SELECT $1, j.model, j.sa, j.ta, j.sb, j.tb, j.s, j.t, j.g, j.theta, j.decision::"FilterDecision", j.pv,
         j.raw_a, j.raw_b, j.inconsistent
       FROM (SELECT ($10::jsonb ->> 'judgeModel') AS model, ($10::jsonb ->> 'strongScoreOrderA')::float8 AS sa,
               ($10::jsonb ->> 'targetScoreOrderA')::float8 AS ta, ($10::jsonb ->> 'strongScoreOrderB')::float8 AS sb,
               ($10::jsonb ->> 'targetScoreOrderB')::float8 AS tb, ($10::jsonb ->> 'strongScore')::float8 AS s,
               ($10::jsonb ->> 'targetScore')::float8 AS t, ($10::jsonb ->> 'gap')::float8 AS g,
               ($10::jsonb ->> 'threshold')::float8 AS theta, ($10::jsonb ->> 'decision') AS decision,
               ($10::jsonb ->> 'promptVersion') AS pv, ($10::jsonb ->> 'rawOrderA') AS raw_a,
               ($10::jsonb ->> 'rawOrderB') AS raw_b, COALESCE(($10::jsonb ->> 'orderInconsistent')::boolean, false) AS inconsistent
             WHERE $10::jsonb IS NOT NULL) AS j
       ON CONFLICT ("instructionVersionId") DO NOTHING
     ), outcome AS (
       -- A keep counts only while the run is short of its target (exact under the run row lock the caller holds).
       SELECT CASE WHEN $11 = 'kept' AND $23::int IS NOT NULL
                    AND (SELECT count(*) FROM "InstructionVersion" WHERE "runId" = $2 AND state = 'kept') >= $23::int
                   THEN 'surplus' ELSE $11 END AS state
     ), settled AS (
       UPDATE "InstructionVersion" SET state = (SELECT state FROM outcome)::"InstructionState",
         "keptAnswer" = $12::"KeptAnswer", "dropReason" = $13,
         "strongScore" = COALESCE($14, "strongScore"), "targetScore" = COALESCE($15, "targetScore"), gap = COALESCE($16, gap),
         "updatedAt" = now()
       WHERE id = $1 AND state = 'pending'
       RETURNING id, "projectId", "runId", "metadataId", COALESCE("rootId", id) AS "rootId", iteration, state::text AS state
     ), kept_counter AS (
       UPDATE "Run" SET "keptCount" = "keptCount" + 1 WHERE id = $2 AND EXISTS (SELECT 1 FROM settled WHERE state = 'kept')
     ), child AS (
       -- No new work once the run stopped running (target reached, cancelled): nothing is started after that.
       INSERT INTO "InstructionVersion" ("projectId", "runId", "metadataId", "rootId", "parentId", iteration, "actionApplied",
         text, "promptVersion", "updatedAt")
       SELECT "projectId", "runId", "metadataId", "rootId", id, iteration + 1, $18, $17, $19, now()
       FROM settled WHERE $17::text IS NOT NULL AND EXISTS (SELECT 1 FROM "Run" WHERE id = $2 AND state = 'running')
       ON CONFLICT ("parentId") DO NOTHING
       RETURNING id
     ), error AS (
       INSERT INTO "RunError" ("runId", stage, "itemKind", "itemId", message, "rawOutput")
       SELECT $2, $20, 'instruction_version', id, $21, $22 FROM settled WHERE $21::text IS NOT NULL
       RETURNING 1
     ), counted AS (
       UPDATE "Run" SET "errorCount" = "errorCount" + 1 WHERE id = $2 AND EXISTS (SELECT 1 FROM error)
     )
     SELECT (SELECT count(*) FROM settled)::int AS settled, (SELECT id FROM child) AS "childId",
       (SELECT state FROM settled) AS state,
       -- As of this statement's snapshot (others settling at the same moment may not show; callers re-check).
       CASE WHEN $11 = 'kept' THEN
         (SELECT count(*) FROM "InstructionVersion" WHERE "runId" = $2 AND state = 'kept' AND id <> $1)::int + 1
       END AS "keptCount",
       (EXISTS (SELECT 1 FROM "InstructionVersion" WHERE "runId" = $2 AND state = 'pending' AND id <> $1
                 AND NOT (iteration = 1 AND "screenOrder" IS NULL))
         OR EXISTS (SELECT 1 FROM child)
         OR EXISTS (SELECT 1 FROM "RunTask" WHERE "runId" = $2 AND state = 'pending')) AS "othersPending"`,
    [
      input.versionId,
      input.runId,
      r.map((response) => response.role),
      r.map((response) => response.model),
      r.map((response) => response.text),
      r.map((response) => response.promptTokens),
      r.map((response) => response.completionTokens),
      r.map((response) => response.latencyMs),
      r.map((response) => response.llmCallId),
      j ? JSON.stringify(j) : null,
      input.state,
      input.keptAnswer,
      input.dropReason,
      input.scores?.strongScore ?? null,
      input.scores?.targetScore ?? null,
      input.scores?.gap ?? null,
      input.child?.text ?? null,
      input.child?.action ?? null,
      input.child?.promptVersion ?? null,
      input.error?.stage ?? null,
      input.error?.message.slice(0, 4000) ?? null,
      input.error?.rawOutput?.slice(0, 20_000) ?? null,
      input.targetSize ?? null,
    ],
  );
  const row = result.rows[0];
  return {
    settled: (row?.settled ?? 0) > 0,
    state: row?.state ?? null,
    childId: row?.childId ?? null,
    keptCount: row?.keptCount ?? null,
    othersPending: row?.othersPending ?? true,
  };
}

/** Settles every still-pending version of a run as dropped with `reason` (a run that ended with work unfinished). */
export async function dropPendingVersions(q: Queryable, runId: number, reason: string): Promise<number> {
  const result = await q.query(
    `UPDATE "InstructionVersion" SET state = 'dropped', "dropReason" = $2, "updatedAt" = now()
     WHERE "runId" = $1 AND state = 'pending'`,
    [runId, reason],
  );
  return result.rowCount ?? 0;
}

/** Settles versions sent for another round whose rewrite was never written (the run stopped first) as dropped. */
export async function dropUnrewrittenVersions(q: Queryable, runId: number, reason: string): Promise<number> {
  const result = await q.query(
    `UPDATE "InstructionVersion" AS parent SET state = 'dropped', "dropReason" = $2, "updatedAt" = now()
     WHERE parent."runId" = $1 AND parent.state = 'improved'
       AND NOT EXISTS (SELECT 1 FROM "InstructionVersion" AS child WHERE child."parentId" = parent.id)`,
    [runId, reason],
  );
  return result.rowCount ?? 0;
}

export async function countKept(q: Queryable, runId: number): Promise<number> {
  const result = await q.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM "InstructionVersion" WHERE "runId" = $1 AND state = 'kept'`,
    [runId],
  );
  return result.rows[0]?.count ?? 0;
}

/** Pending versions that have (or need) a queue job: basic instructions only once the round's screen passed them. */
export async function listPendingVersions(
  q: Queryable,
  runId: number,
): Promise<Array<{ id: number; iteration: number }>> {
  const result = await q.query<{ id: number; iteration: number }>(
    `SELECT id, iteration FROM "InstructionVersion" WHERE "runId" = $1 AND state = 'pending'
       AND NOT (iteration = 1 AND "screenOrder" IS NULL) ORDER BY id`,
    [runId],
  );
  return result.rows;
}

/** Failed versions back to pending (a resume that retries failures); answers and judgements already stored stay. */
export async function reopenFailedVersions(q: Queryable, runId: number): Promise<number> {
  const result = await q.query(
    `UPDATE "InstructionVersion" SET state = 'pending', "dropReason" = NULL, "updatedAt" = now()
     WHERE "runId" = $1 AND state = 'failed'`,
    [runId],
  );
  return result.rowCount ?? 0;
}

export interface KeptPairRow {
  id: number;
  text: string;
  answer: string;
  iteration: number;
  strongScore: number | null;
  targetScore: number | null;
  gap: number | null;
  keptAnswer: "strong" | "target";
  runId: number;
  useCase: string;
  skills: string[];
}

/** A run's kept pairs with the kept side's answer, in id order, one keyset page at a time. */
export async function listKeptPairs(
  q: Queryable,
  input: { runId: number; afterId?: number; limit?: number },
): Promise<KeptPairRow[]> {
  const result = await q.query<KeptPairRow>(
    `SELECT v.id, v.text, r.text AS answer, v.iteration, v."strongScore", v."targetScore", v.gap,
       v."keptAnswer"::text AS "keptAnswer", v."runId", m."useCase", m.skills
     FROM "InstructionVersion" v
     JOIN "MetadataEntry" m ON m.id = v."metadataId"
     JOIN "Response" r ON r."instructionVersionId" = v.id AND r.role::text = v."keptAnswer"::text
     WHERE v."runId" = $1 AND v.state = 'kept' AND v.id > $2
     ORDER BY v.id LIMIT $3`,
    [input.runId, input.afterId ?? 0, input.limit ?? 1000],
  );
  return result.rows;
}

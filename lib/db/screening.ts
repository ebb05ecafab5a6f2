// The run-wide screen every instruction version passes before it is answered (near-duplicates, test-set
// contamination). Screening of one run is serialised by a transaction-scoped advisory lock, so two workers never
// pass two near-duplicates at the same instant; passed versions get an increasing screenOrder, which lets each
// process load only what others passed since it last looked.
import { parseBasicSlotKey } from "@/lib/db/instruction-versions";
import type { Queryable } from "@/lib/db/sql";
import type { ContaminationMatch } from "@/lib/codeclm/decontaminate";

/** Namespace of the screen's advisory locks (the second key is the run id). */
const SCREEN_LOCK_NAMESPACE = 1_301_013;

export async function lockRunScreen(q: Queryable, runId: number): Promise<void> {
  await q.query(`SELECT pg_advisory_xact_lock($1, $2)`, [SCREEN_LOCK_NAMESPACE, runId]);
}

export interface ScreenedVersion {
  id: number;
  /** The chain (its basic instruction's id). */
  rootId: number;
  text: string;
  screenOrder: number;
}

/** Versions of the run that passed the screen after `afterOrder`, in screening order. */
export async function listScreenedSince(
  q: Queryable,
  runId: number,
  afterOrder: number,
): Promise<ScreenedVersion[]> {
  const result = await q.query<ScreenedVersion>(
    `SELECT id, COALESCE("rootId", id) AS "rootId", text, "screenOrder"::float8 AS "screenOrder"
     FROM "InstructionVersion" WHERE "runId" = $1 AND "screenOrder" > $2 ORDER BY "screenOrder"`,
    [runId, afterOrder],
  );
  return result.rows;
}

/** Pending basic instructions no screen has looked at, in slot order: round, metadata entry key, position. */
export async function listBasicsAwaitingScreen(
  q: Queryable,
  runId: number,
): Promise<Array<{ id: number; text: string }>> {
  const result = await q.query<{ id: number; text: string; slotKey: string | null; metadataKey: string }>(
    `SELECT v.id, v.text, v."slotKey", m.key AS "metadataKey"
     FROM "InstructionVersion" v JOIN "MetadataEntry" m ON m.id = v."metadataId"
     WHERE v."runId" = $1 AND v.iteration = 1 AND v.state = 'pending' AND v."screenOrder" IS NULL`,
    [runId],
  );
  const slot = (key: string | null) => parseBasicSlotKey(key) ?? { round: 0, index: 0 };
  return result.rows
    .map((row) => ({ ...row, slot: slot(row.slotKey) }))
    .sort(
      (a, b) =>
        a.slot.round - b.slot.round ||
        (a.metadataKey < b.metadataKey ? -1 : a.metadataKey > b.metadataKey ? 1 : 0) ||
        a.slot.index - b.slot.index ||
        a.id - b.id,
    )
    .map(({ id, text }) => ({ id, text }));
}

/** Marks a version as passed, after the run's last passed one; returns its order (null if already screened). */
export async function markScreenPassed(
  q: Queryable,
  runId: number,
  versionId: number,
): Promise<number | null> {
  const result = await q.query<{ screenOrder: number }>(
    `UPDATE "InstructionVersion" SET "screenOrder" =
       (SELECT COALESCE(max("screenOrder"), 0) + 1 FROM "InstructionVersion" WHERE "runId" = $1)
     WHERE id = $2 AND "runId" = $1 AND "screenOrder" IS NULL
     RETURNING "screenOrder"::float8 AS "screenOrder"`,
    [runId, versionId],
  );
  return result.rows[0]?.screenOrder ?? null;
}

/** What the screen found, stored on the dropped version for review. */
export async function recordScreenFinding(
  q: Queryable,
  versionId: number,
  finding:
    | { kind: "duplicate"; twinId: number; score: number }
    | { kind: "contaminated"; match: ContaminationMatch },
): Promise<void> {
  if (finding.kind === "duplicate") {
    await q.query(
      `UPDATE "InstructionVersion" SET "duplicateOfId" = $2, "duplicateScore" = $3 WHERE id = $1`,
      [versionId, finding.twinId, finding.score],
    );
  } else {
    await q.query(`UPDATE "InstructionVersion" SET contamination = $2::jsonb WHERE id = $1`, [
      versionId,
      JSON.stringify(finding.match),
    ]);
  }
}

export interface EvalItemText {
  setName: string;
  itemId: string;
  text: string;
}

/** The instructions of the project's evaluation sets (with their input), for the contamination index. */
export async function listProjectEvalItemTexts(q: Queryable, projectId: number): Promise<EvalItemText[]> {
  const result = await q.query<EvalItemText>(
    `SELECT CASE WHEN s.source = 'public' AND s."sourceName" <> '' THEN s."sourceName" ELSE s.name END AS "setName",
       COALESCE(i."sourceId", (i.position + 1)::text) AS "itemId",
       CASE WHEN i.input = '' THEN i.instruction ELSE i.instruction || E'\\n' || i.input END AS text
     FROM "EvalInstruction" i JOIN "EvalSet" s ON s.id = i."setId"
     WHERE s."projectId" = $1 ORDER BY s.id, i.position`,
    [projectId],
  );
  return result.rows;
}

export interface ContaminationReportEntry {
  versionId: number;
  text: string;
  iteration: number;
  match: ContaminationMatch;
}

/** The run's dropped contaminated versions, for the per-run report. */
export async function listContaminatedVersions(
  q: Queryable,
  runId: number,
): Promise<ContaminationReportEntry[]> {
  const result = await q.query<ContaminationReportEntry>(
    `SELECT id AS "versionId", text, iteration, contamination AS match FROM "InstructionVersion"
     WHERE "runId" = $1 AND contamination IS NOT NULL ORDER BY id`,
    [runId],
  );
  return result.rows;
}

export interface ScreenCounts {
  screened: number;
  nearDuplicates: number;
  contaminated: number;
}

export async function countScreenOutcomes(q: Queryable, runId: number): Promise<ScreenCounts> {
  const result = await q.query<ScreenCounts>(
    `SELECT count(*) FILTER (WHERE "screenOrder" IS NOT NULL OR "duplicateOfId" IS NOT NULL OR contamination IS NOT NULL)::int AS screened,
       count(*) FILTER (WHERE "duplicateOfId" IS NOT NULL)::int AS "nearDuplicates",
       count(*) FILTER (WHERE contamination IS NOT NULL)::int AS contaminated
     FROM "InstructionVersion" WHERE "runId" = $1`,
    [runId],
  );
  return result.rows[0] ?? { screened: 0, nearDuplicates: 0, contaminated: 0 };
}

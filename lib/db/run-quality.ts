// A run's data-quality report: what the screen dropped (near-duplicates; test-set copies per evaluation set and
// item), how trustworthy the judge was (order-inconsistent verdicts, position bias) and how θ would change the
// yield, replayed from the stored gaps (lib/codeclm/judge-check) without a new LLM call.
import {
  contaminationMatchSchema,
  summarizeContamination,
  type ContaminationMatch,
  type ContaminationReportRow,
} from "@/lib/codeclm/decontaminate";
import {
  calibrateThresholds,
  judgeHealth,
  type CalibrationRow,
  type JudgeHealth,
} from "@/lib/codeclm/judge-check";
import { countScreenOutcomes, type ScreenCounts } from "@/lib/db/screening";
import type { Queryable } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { parseRunConfig } from "@/lib/pipeline/run-config";

export interface ContaminatedInstruction {
  versionId: number;
  text: string;
  match: ContaminationMatch;
}

export interface RunQualityReport {
  runId: number;
  theta: number;
  maxIterations: number;
  nearDuplicateThreshold: number;
  contaminationNgram: number;
  dropInconsistentVerdicts: boolean;
  screen: ScreenCounts;
  contaminationBySet: ContaminationReportRow[];
  contaminated: ContaminatedInstruction[];
  judge: JudgeHealth;
  calibration: CalibrationRow[];
}

const CONTAMINATED_LISTED = 200;

export async function getRunQualityReport(
  q: Queryable,
  input: { projectId: number; runId: number },
): Promise<RunQualityReport> {
  const run = await q.query<{ configSnapshot: unknown }>(
    `SELECT "configSnapshot" FROM "Run" WHERE id = $1 AND "projectId" = $2`,
    [input.runId, input.projectId],
  );
  const row = run.rows[0];
  if (!row) throw new AppError("not_found", `Run ${input.runId} is not a run of this project`);
  const { settings } = parseRunConfig(row.configSnapshot);
  const [screen, contaminatedRows, judgements] = await Promise.all([
    countScreenOutcomes(q, input.runId),
    q.query<{ versionId: number; text: string; match: unknown }>(
      `SELECT id AS "versionId", text, contamination AS match FROM "InstructionVersion"
       WHERE "runId" = $1 AND contamination IS NOT NULL ORDER BY id`,
      [input.runId],
    ),
    q.query<{
      chainId: number;
      iteration: number;
      gap: number;
      inconsistent: boolean;
      strongScoreOrderA: number;
      targetScoreOrderA: number;
      strongScoreOrderB: number;
      targetScoreOrderB: number;
    }>(
      `SELECT COALESCE(v."rootId", v.id) AS "chainId", v.iteration, j.gap, j."orderInconsistent" AS inconsistent,
         j."strongScoreOrderA", j."targetScoreOrderA", j."strongScoreOrderB", j."targetScoreOrderB"
       FROM "Judgement" j JOIN "InstructionVersion" v ON v.id = j."instructionVersionId"
       WHERE v."runId" = $1`,
      [input.runId],
    ),
  ]);
  const contaminated = contaminatedRows.rows.flatMap((entry) => {
    const match = contaminationMatchSchema.safeParse(entry.match);
    return match.success ? [{ versionId: entry.versionId, text: entry.text, match: match.data }] : [];
  });
  return {
    runId: input.runId,
    theta: settings.gapThreshold,
    maxIterations: settings.maxIterations,
    nearDuplicateThreshold: settings.nearDuplicateThreshold,
    contaminationNgram: settings.contaminationNgram,
    dropInconsistentVerdicts: settings.dropInconsistentVerdicts === 1,
    screen,
    contaminationBySet: summarizeContamination(contaminated.map((entry) => entry.match)),
    contaminated: contaminated.slice(0, CONTAMINATED_LISTED),
    judge: judgeHealth(judgements.rows),
    calibration: calibrateThresholds(judgements.rows, {
      maxIterations: settings.maxIterations,
      inconsistent: settings.dropInconsistentVerdicts === 1 ? "drop" : "iterate",
    }),
  };
}

// An evaluation as one JSON document (the CLI's --out, the page's download): how it was judged, the figures
// and every instruction with both answers and both orders' scores, so a reader can check any outcome by hand.
import { EVAL_JUDGE_PROMPT_VERSION, type EvalOutcome } from "@/lib/codeclm/evaluate";
import { getEvalSetOrThrow } from "@/lib/db/eval-sets";
import type { Queryable } from "@/lib/db/sql";
import { JUDGE_TEMPERATURE } from "@/lib/evaluation/judge-instruction";
import { getEvaluationDetail, type EvaluationDetail } from "@/lib/evaluation/progress";
import { BOOTSTRAP_ITERATIONS } from "@/lib/evaluation/summary";

export interface ReportedInstruction {
  position: number;
  sourceId: string | null;
  category: string | null;
  instruction: string;
  input: string;
  targetAnswer: string | null;
  referenceAnswer: string | null;
  /** Order A: target shown first; order B: reference shown first. */
  scores: {
    orderA: { target: number; reference: number };
    orderB: { target: number; reference: number };
  } | null;
  outcome: EvalOutcome | null;
  error: string | null;
}

export interface EvaluationReport extends Omit<EvaluationDetail, "failures"> {
  set: {
    id: number;
    name: string;
    source: string;
    sourceName: string;
    license: string | null;
    licenseNotice: string | null;
    instructionCount: number;
  };
  protocol: { judgePrompt: string; judgeTemperature: number; rule: string; crr: string; interval: string };
  results: ReportedInstruction[];
}

interface ResultRow {
  position: number;
  sourceId: string | null;
  category: string | null;
  instruction: string;
  input: string;
  targetAnswer: string | null;
  referenceAnswer: string | null;
  tA: number | null;
  rA: number | null;
  tB: number | null;
  rB: number | null;
  outcome: EvalOutcome | null;
  error: string | null;
}

export async function buildEvaluationReport(
  q: Queryable,
  projectId: number,
  evaluationId: number,
): Promise<EvaluationReport> {
  const { failures: _failures, ...detail } = await getEvaluationDetail(q, projectId, evaluationId);
  const set = await getEvalSetOrThrow(q, projectId, detail.evaluation.setId);
  const rows = await q.query<ResultRow>(
    `SELECT i.position, i."sourceId", i.category, i.instruction, i.input, r."targetAnswer", r."referenceAnswer",
       r."targetScoreOrderA" AS "tA", r."referenceScoreOrderA" AS "rA", r."targetScoreOrderB" AS "tB", r."referenceScoreOrderB" AS "rB",
       r.outcome::text AS outcome, r.error
     FROM "EvalResult" r JOIN "EvalInstruction" i ON i.id = r."evalInstructionId"
     WHERE r."evaluationId" = $1 ORDER BY i.position`,
    [evaluationId],
  );
  return {
    ...detail,
    set: {
      id: set.id,
      name: set.name,
      source: set.source,
      sourceName: set.sourceName,
      license: set.license,
      licenseNotice: set.licenseNotice,
      instructionCount: set.instructionCount,
    },
    protocol: {
      judgePrompt: EVAL_JUDGE_PROMPT_VERSION,
      judgeTemperature: JUDGE_TEMPERATURE,
      rule: "pairwise judge in both orders; the target wins only if it wins in both, loses only if it loses in both, else ties",
      crr: "(wins + ties) / judged instructions",
      interval: `95% percentile bootstrap over instructions, ${BOOTSTRAP_ITERATIONS} resamples`,
    },
    results: rows.rows.map(({ tA, rA, tB, rB, ...row }) => ({
      ...row,
      scores:
        tA === null || rA === null || tB === null || rB === null
          ? null
          : { orderA: { target: tA, reference: rA }, orderB: { target: tB, reference: rB } },
    })),
  };
}

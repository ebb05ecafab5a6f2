// Evaluations side by side (e.g. the base target, the target tuned on this project's export, the strong model):
// each one's W/T/L and CRR, the CRR difference from the first with a paired bootstrap interval, and — when they
// share a set — every instruction's outcome in each, with a drill-down to both answers and both orders' scores.
import type { EvalOutcome } from "@/lib/codeclm/evaluate";
import { getEvalInstruction, type EvalInstructionRow } from "@/lib/db/eval-sets";
import {
  getEvaluationOfProject,
  listOutcomes,
  listResultDetails,
  type EvalResultDetail,
} from "@/lib/db/evaluations";
import type { Queryable } from "@/lib/db/sql";
import { AppError } from "@/lib/errors";
import { summarizeEvaluation } from "@/lib/evaluation/finalize";
import { evaluationHeader, type EvaluationHeader } from "@/lib/evaluation/progress";
import { compareCrr, type CrrDifference, type CrrSummary } from "@/lib/evaluation/summary";

export interface ComparedEvaluation {
  evaluation: EvaluationHeader;
  summary: CrrSummary;
  failed: number;
  /** CRR minus the first evaluation's, over the instructions both judged; null for the first or across sets. */
  difference: CrrDifference | null;
}

export interface ComparedInstruction {
  id: number;
  position: number;
  instruction: string;
  category: string | null;
  /** By evaluation id: the outcome, "failed", or null while pending. */
  outcomes: Record<number, EvalOutcome | "failed" | null>;
}

export interface EvaluationComparison {
  evaluations: ComparedEvaluation[];
  sameSet: boolean;
  /** Only when every evaluation uses the same set. */
  instructions: ComparedInstruction[];
}

export async function compareEvaluations(
  q: Queryable,
  projectId: number,
  evaluationIds: readonly number[],
): Promise<EvaluationComparison> {
  const ids = [...new Set(evaluationIds)];
  const rows = await Promise.all(ids.map((id) => getEvaluationOfProject(q, projectId, id)));
  const sameSet = rows.every((row) => row.setId === rows[0]!.setId);
  const outcomes = await Promise.all(ids.map((id) => listOutcomes(q, id)));
  const byInstruction = outcomes.map(
    (list) => new Map(list.map((row) => [row.evalInstructionId, row.outcome])),
  );
  const evaluations = await Promise.all(
    rows.map(async (row, index): Promise<ComparedEvaluation> => {
      const { failed, ...summary } = await summarizeEvaluation(q, row.id);
      let difference: CrrDifference | null = null;
      if (index > 0 && sameSet) {
        const pairs: { a: EvalOutcome; b: EvalOutcome }[] = [];
        for (const [instructionId, a] of byInstruction[0]!) {
          const b = byInstruction[index]!.get(instructionId);
          if (a && b) pairs.push({ a, b });
        }
        difference = compareCrr(pairs, { seed: row.id * 7919 + rows[0]!.id });
      }
      return { evaluation: await evaluationHeader(q, row), summary, failed, difference };
    }),
  );
  let instructions: ComparedInstruction[] = [];
  if (sameSet) {
    const listed = await q.query<{
      id: number;
      position: number;
      instruction: string;
      category: string | null;
    }>(
      `SELECT id, position, left(instruction, 240) AS instruction, category FROM "EvalInstruction" WHERE "setId" = $1 ORDER BY position`,
      [rows[0]!.setId],
    );
    instructions = listed.rows.map((instruction) => ({
      ...instruction,
      outcomes: Object.fromEntries(
        ids.map((id, index) => {
          const settled = byInstruction[index]!;
          const outcome = settled.has(instruction.id) ? (settled.get(instruction.id) ?? "failed") : null;
          return [id, outcome];
        }),
      ),
    }));
  }
  return { evaluations, sameSet, instructions };
}

export interface InstructionDrillDown {
  instruction: EvalInstructionRow;
  /** In the order of the requested evaluations; null where it has no result yet. */
  results: Array<{ evaluationId: number; result: EvalResultDetail | null }>;
}

/** One instruction in each evaluation: both answers, both orders' scores and the judge's explanations. */
export async function drillDownInstruction(
  q: Queryable,
  projectId: number,
  evaluationIds: readonly number[],
  instructionId: number,
): Promise<InstructionDrillDown> {
  const rows = await Promise.all(evaluationIds.map((id) => getEvaluationOfProject(q, projectId, id)));
  const instruction = await getEvalInstruction(q, instructionId);
  if (!instruction || !rows.some((row) => row.setId === instruction.setId)) {
    throw new AppError("not_found", `Instruction ${instructionId} is not in the set of these evaluations`);
  }
  const details = await listResultDetails(q, evaluationIds, instructionId);
  const byEvaluation = new Map(details.map((detail) => [detail.evaluationId, detail]));
  const { setId: _setId, ...shown } = instruction;
  return {
    instruction: shown,
    results: evaluationIds.map((id) => ({ evaluationId: id, result: byEvaluation.get(id) ?? null })),
  };
}

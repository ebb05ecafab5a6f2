// The evaluation-level outcomes no single instruction owns: completing it (W/T/L, CRR and its interval) once
// every instruction is settled, and stopping it when an endpoint can never work.
import {
  findEvaluation,
  completeEvaluation,
  countResults,
  listOutcomes,
  transitionEvaluation,
} from "@/lib/db/evaluations";
import type { EvalOutcome } from "@/lib/codeclm/evaluate";
import { deleteQueuedJobsOfEvaluation } from "@/lib/jobs/queue";
import { summarizeOutcomes, type CrrSummary } from "@/lib/evaluation/summary";
import type { Queryable } from "@/lib/db/sql";
import type { PipelineServices } from "@/lib/pipeline/services";

/** The live summary of an evaluation's judged instructions (failed ones are not counted). */
export async function summarizeEvaluation(
  q: Queryable,
  evaluationId: number,
): Promise<CrrSummary & { failed: number }> {
  const rows = await listOutcomes(q, evaluationId);
  const judged = rows.filter((row): row is typeof row & { outcome: EvalOutcome } => row.outcome !== null);
  return { ...summarizeOutcomes(judged, { seed: evaluationId }), failed: rows.length - judged.length };
}

/**
 * Completes a running evaluation whose every instruction has a result; a no-op otherwise. Safe to call from every
 * job: each checks after its own commit, so the last one to finish always sees everything.
 */
export async function completeIfSettled(services: PipelineServices, evaluationId: number): Promise<boolean> {
  const counts = await countResults(services.pool, evaluationId);
  if (counts.total === 0 || counts.judged + counts.failed < counts.total) return false;
  const evaluation = await findEvaluation(services.pool, evaluationId);
  if (evaluation?.state !== "running") return false;
  if (counts.judged === 0) {
    return failEvaluation(
      services,
      evaluationId,
      `Every instruction failed (${counts.failed}); see the failed instructions for why`,
    );
  }
  const summary = await summarizeEvaluation(services.pool, evaluationId);
  const completed = await completeEvaluation(services.pool, evaluationId, {
    wins: summary.wins,
    ties: summary.ties,
    losses: summary.losses,
    crr: summary.crr,
    crrLow: summary.interval?.low ?? null,
    crrHigh: summary.interval?.high ?? null,
    errorCount: summary.failed,
  });
  if (completed) {
    services.log("info", "evaluation completed", {
      evaluationId,
      wins: summary.wins,
      ties: summary.ties,
      losses: summary.losses,
      crr: summary.crr,
      failed: summary.failed,
    });
  }
  return completed;
}

/** running → failed with the reason; its queued jobs go (jobs in flight stop at their next call). */
export async function failEvaluation(
  services: PipelineServices,
  evaluationId: number,
  message: string,
): Promise<boolean> {
  const changed = await transitionEvaluation(services.pool, evaluationId, {
    from: ["queued", "running"],
    to: "failed",
    lastError: message,
    finished: true,
  });
  if (changed) {
    await deleteQueuedJobsOfEvaluation(services.pool, evaluationId);
    services.log("warn", "evaluation failed", { evaluationId, error: message });
  }
  return changed;
}

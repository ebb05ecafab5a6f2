// What the Evaluate page and the CLI show of an evaluation: its state, how many instructions are settled, the live
// W/T/L and CRR (with interval and per category), what its LLM calls cost, and why instructions failed.
import { countResults, getEvaluationOfProject, type EvaluationRow } from "@/lib/db/evaluations";
import type { Queryable } from "@/lib/db/sql";
import { parseEvaluationConfig } from "@/lib/evaluation/config";
import { summarizeEvaluation } from "@/lib/evaluation/finalize";
import type { CrrSummary } from "@/lib/evaluation/summary";

export interface EndpointLabel {
  model: string;
  baseUrl: string;
}

export interface EvaluationHeader {
  id: number;
  name: string;
  state: EvaluationRow["state"];
  setId: number;
  setName: string;
  target: EndpointLabel;
  reference: EndpointLabel;
  /** Null: the reference judges. */
  judge: EndpointLabel | null;
  lastError: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface LlmUsage {
  calls: number;
  cacheHits: number;
  errors: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

export interface FailedInstruction {
  instructionId: number;
  position: number;
  instruction: string;
  error: string;
}

export interface EvaluationDetail {
  evaluation: EvaluationHeader;
  counts: { total: number; judged: number; failed: number; pending: number };
  summary: CrrSummary;
  llm: LlmUsage;
  failures: FailedInstruction[];
}

const label = (endpoint: { model: string; baseUrl: string }): EndpointLabel => ({
  model: endpoint.model,
  baseUrl: endpoint.baseUrl,
});

export async function evaluationHeader(q: Queryable, evaluation: EvaluationRow): Promise<EvaluationHeader> {
  const config = parseEvaluationConfig(evaluation.configSnapshot);
  const set = await q.query<{ name: string }>(`SELECT name FROM "EvalSet" WHERE id = $1`, [evaluation.setId]);
  return {
    id: evaluation.id,
    name: evaluation.name,
    state: evaluation.state,
    setId: evaluation.setId,
    setName: set.rows[0]?.name ?? "",
    target: label(config.target),
    reference: label(config.reference),
    judge: config.judge ? label(config.judge) : null,
    lastError: evaluation.lastError,
    createdAt: evaluation.createdAt.toISOString(),
    startedAt: evaluation.startedAt?.toISOString() ?? null,
    finishedAt: evaluation.finishedAt?.toISOString() ?? null,
  };
}

export async function getLlmUsageOfEvaluation(q: Queryable, evaluationId: number): Promise<LlmUsage> {
  const result = await q.query<LlmUsage>(
    `SELECT count(*)::int AS calls,
       (count(*) FILTER (WHERE status = 'cache_hit'))::int AS "cacheHits",
       (count(*) FILTER (WHERE status = 'error'))::int AS errors,
       COALESCE(sum("promptTokens"), 0)::int AS "promptTokens",
       COALESCE(sum("completionTokens"), 0)::int AS "completionTokens",
       COALESCE(sum("costUsd"), 0)::float8 AS "costUsd"
     FROM "LlmCall" WHERE "evaluationId" = $1`,
    [evaluationId],
  );
  return result.rows[0]!;
}

async function listFailures(q: Queryable, evaluationId: number, limit = 20): Promise<FailedInstruction[]> {
  const result = await q.query<FailedInstruction>(
    `SELECT i.id AS "instructionId", i.position, left(i.instruction, 300) AS instruction, r.error
     FROM "EvalResult" r JOIN "EvalInstruction" i ON i.id = r."evalInstructionId"
     WHERE r."evaluationId" = $1 AND r.outcome IS NULL ORDER BY i.position LIMIT $2`,
    [evaluationId, limit],
  );
  return result.rows;
}

/** The evaluation as the page shows it; not_found unless it belongs to the project. */
export async function getEvaluationDetail(
  q: Queryable,
  projectId: number,
  evaluationId: number,
): Promise<EvaluationDetail> {
  const evaluation = await getEvaluationOfProject(q, projectId, evaluationId);
  const [header, counts, summary, llm, failures] = await Promise.all([
    evaluationHeader(q, evaluation),
    countResults(q, evaluationId),
    summarizeEvaluation(q, evaluationId),
    getLlmUsageOfEvaluation(q, evaluationId),
    listFailures(q, evaluationId),
  ]);
  const { failed: _failed, ...crrSummary } = summary;
  return {
    evaluation: header,
    counts: { ...counts, pending: Math.max(0, counts.total - counts.judged - counts.failed) },
    summary: crrSummary,
    llm,
    failures,
  };
}

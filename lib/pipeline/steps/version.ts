// One instruction version through Self-Rubrics and Contrastive Filtering (paper §4.2–4.3): the strong and the
// target answer, the judge in both orders, the gap decision; |G| ≤ θ before the last iteration applies one
// sampled action (Fig. 10) and queues the child version. Calls go one after another (a job never holds more
// than one LLM slot); whatever is already stored (answers, judgement) is reused, and the outcome — answers,
// judgement, state, child and its job — commits in one transaction that only moves a still-pending version.
import {
  buildImprovePrompt,
  cleanImprovedInstruction,
  IMPROVE_PROMPT_VERSION,
  sampleAction,
} from "@/lib/codeclm/improve";
import {
  buildJudgePromptsBothOrders,
  combineBothOrders,
  decideByGap,
  FILTER_JUDGE_PROMPT_VERSION,
  keptAnswerFor,
  type FilterDecision,
} from "@/lib/codeclm/filter";
import { decisionForInconsistent, isOrderInconsistent } from "@/lib/codeclm/judge-check";
import { deriveRng } from "@/lib/codeclm/random";
import { buildRespondPrompt } from "@/lib/codeclm/respond";
import {
  loadVersionForJob,
  parseBasicSlotKey,
  storeVersionSettlement,
  type NewResponse,
  type StoredJudgement,
  type VersionForJob,
  type VersionSettlement,
} from "@/lib/db/instruction-versions";
import { withTransaction } from "@/lib/db/sql";
import { screenVersion } from "@/lib/pipeline/screen";
import type { VersionJob } from "@/lib/jobs/contracts";
import { advanceRun, afterStopBegan, beginStopAtTarget } from "@/lib/pipeline/advance";
import { enqueueJobs, versionJobs } from "@/lib/pipeline/enqueue";
import { callLlm, ensureRunActive, failureReason } from "@/lib/pipeline/llm-step";
import type { RunContext } from "@/lib/pipeline/run-cache";
import { endpointFor } from "@/lib/pipeline/run-config";
import type { PipelineServices } from "@/lib/pipeline/services";

type Outcome =
  | { kind: "kept"; keptAnswer: "strong" | "target" }
  | { kind: "dropped"; reason: string }
  | { kind: "improved"; childText: string; action: string }
  | { kind: "failed"; reason: string; rawOutput: string | null };

/** The random stream of one chain's rewrite at one iteration: independent of ids, timing and concurrency. */
export function improveRngLabels(
  version: Pick<VersionForJob, "metadataKey" | "rootSlotKey" | "iteration">,
): Array<string | number> {
  const slot = parseBasicSlotKey(version.rootSlotKey);
  return ["improve", version.metadataKey, slot?.round ?? 0, slot?.index ?? 0, version.iteration];
}

/**
 * The paper's ablations (Table 3) as switches: without Self-Rubrics a chain is its basic instruction only;
 * without Contrastive Filtering every judged pair is kept with the strong answer.
 */
export function methodVariant(settings: {
  selfRubrics: number;
  contrastiveFiltering: number;
  maxIterations: number;
}): { filtering: boolean; maxIterations: number } {
  return {
    filtering: settings.contrastiveFiltering === 1,
    maxIterations: settings.selfRubrics === 1 ? settings.maxIterations : 1,
  };
}

export function dropReasonFor(
  judgement: Pick<StoredJudgement, "gap" | "orderInconsistent">,
  theta: number,
  iteration: number,
): string {
  if (judgement.orderInconsistent) {
    return `The judge's two orders disagreed on which answer is better (iteration ${iteration}): no trustworthy gap`;
  }
  return `No clear quality gap after ${iteration} iteration${iteration === 1 ? "" : "s"}: |G| = ${Math.abs(judgement.gap).toFixed(2)} ≤ θ = ${theta}`;
}

export async function runVersionJob(
  services: PipelineServices,
  job: VersionJob,
  signal: AbortSignal,
): Promise<void> {
  const version = await loadVersionForJob(services.pool, job.versionId);
  if (!version) return; // deleted with its run
  if (version.state !== "pending") {
    await advanceRun(services, job.runId); // settled by a worker that may have crashed before its barrier check
    return;
  }
  const run = await ensureRunActive(services, job.runId);
  const { settings } = run.config;
  // Rewrites (and a basic instruction queued before its round's screen) are screened before any answer.
  const unscreened = version.iteration > 1 ? version.responses.length === 0 : !version.screened;
  if (unscreened && (await dropIfScreenedOut(services, run, version))) return;
  const newResponses: NewResponse[] = [];
  let judgement: StoredJudgement | null = version.judgement;
  // Assigned inside the closure below (so not narrowed to null here).
  let judgeRaw = null as { rawOrderA: string | null; rawOrderB: string | null } | null;
  const seedLabels = improveRngLabels(version);
  const variant = methodVariant(settings);
  const outcome = await (async (): Promise<Outcome> => {
    // Without Contrastive Filtering nothing decides between rewrites: a chain is rewritten to its last iteration
    // and only that version is answered and judged (the judgement is recorded, not used).
    if (!variant.filtering && version.iteration < variant.maxIterations) {
      return improve(services, run, version, signal);
    }
    const answers: Partial<Record<"strong" | "target", string>> = {};
    for (const stored of version.responses) answers[stored.role] = stored.text;
    for (const role of ["strong", "target"] as const) {
      if (answers[role] !== undefined) continue;
      const answer = await callLlm(services, run, role, buildRespondPrompt({ instruction: version.text }), {
        signal,
        seedLabels,
      });
      if (!answer.ok)
        return {
          kind: "failed",
          reason: failureReason(`The ${role} answer`, answer.error),
          rawOutput: answer.error.rawText ?? null,
        };
      answers[role] = answer.result.value;
      newResponses.push({
        versionId: version.id,
        role,
        model: endpointFor(run.config, role).model,
        text: answer.result.value,
        promptTokens: answer.result.promptTokens,
        completionTokens: answer.result.completionTokens,
        latencyMs: answer.result.latencyMs,
        llmCallId: answer.result.callId,
      });
    }
    if (!judgement) {
      const prompts = buildJudgePromptsBothOrders(version.text, answers.strong!, answers.target!);
      const orderA = await callLlm(services, run, "judge", prompts.orderA, { signal, seedLabels });
      if (!orderA.ok)
        return {
          kind: "failed",
          reason: failureReason("Judging (strong answer first)", orderA.error),
          rawOutput: orderA.error.rawText ?? null,
        };
      const orderB = await callLlm(services, run, "judge", prompts.orderB, { signal, seedLabels });
      if (!orderB.ok)
        return {
          kind: "failed",
          reason: failureReason("Judging (target answer first)", orderB.error),
          rawOutput: orderB.error.rawText ?? null,
        };
      const combined = combineBothOrders({ orderA: orderA.result.value, orderB: orderB.result.value });
      const orderInconsistent = isOrderInconsistent(combined);
      const decision: FilterDecision = !variant.filtering
        ? "keep_strong"
        : decisionForInconsistent(
            decideByGap({
              gap: combined.gap,
              theta: settings.gapThreshold,
              iteration: version.iteration,
              maxIterations: variant.maxIterations,
            }),
            orderInconsistent,
            settings.dropInconsistentVerdicts === 1 ? "drop" : "iterate",
            version.iteration >= variant.maxIterations,
          );
      judgement = { ...combined, decision, orderInconsistent };
      judgeRaw = { rawOrderA: orderA.result.text, rawOrderB: orderB.result.text };
    }
    const kept = keptAnswerFor(judgement.decision);
    if (kept) return { kind: "kept", keptAnswer: kept };
    if (judgement.decision === "drop")
      return { kind: "dropped", reason: dropReasonFor(judgement, settings.gapThreshold, version.iteration) };
    return improve(services, run, version, signal);
  })();

  const settlement: VersionSettlement = {
    versionId: version.id,
    runId: run.id,
    responses: newResponses,
    judgement:
      judgement && !version.judgement
        ? {
            ...judgement,
            judgeModel: endpointFor(run.config, "judge").model,
            threshold: settings.gapThreshold,
            promptVersion: FILTER_JUDGE_PROMPT_VERSION,
            rawOrderA: judgeRaw?.rawOrderA ?? null,
            rawOrderB: judgeRaw?.rawOrderB ?? null,
            orderInconsistent: judgement.orderInconsistent ?? false,
          }
        : null,
    state: outcome.kind,
    keptAnswer: outcome.kind === "kept" ? outcome.keptAnswer : null,
    dropReason: outcome.kind === "dropped" || outcome.kind === "failed" ? outcome.reason : null,
    scores: judgement
      ? { strongScore: judgement.strongScore, targetScore: judgement.targetScore, gap: judgement.gap }
      : null,
    child:
      outcome.kind === "improved"
        ? { text: outcome.childText, action: outcome.action, promptVersion: IMPROVE_PROMPT_VERSION }
        : null,
    error:
      outcome.kind === "failed"
        ? { stage: "iterate", message: outcome.reason, rawOutput: outcome.rawOutput }
        : null,
  };
  if (outcome.kind === "improved") {
    // The child and its job commit together: a crash can never leave a child without its job.
    const child = await withTransaction(services.asyncCommitPool, async (client) => {
      const stored = await storeVersionSettlement(client, settlement);
      if (stored.childId !== null) {
        await enqueueJobs(
          services,
          versionJobs(run, [{ id: stored.childId, iteration: version.iteration + 1 }]),
          client,
        );
      }
      return stored.childId;
    });
    if (child !== null) services.wake();
    return;
  }
  if (outcome.kind === "kept") {
    // Exactly N kept: keeps of one run are serialized on its row, so the count each one sees is exact; the N-th
    // starts the stop, and any keep after it is stored as surplus.
    const { stopping, stored } = await withTransaction(services.asyncCommitPool, async (client) => {
      const locked = await client.query<{ state: string }>(
        `SELECT state::text AS state FROM "Run" WHERE id = $1 FOR UPDATE`,
        [run.id],
      );
      const result = await storeVersionSettlement(client, {
        ...settlement,
        targetSize: settings.targetDatasetSize,
      });
      const reached =
        result.state === "kept" &&
        (result.keptCount ?? 0) >= settings.targetDatasetSize &&
        locked.rows[0]?.state === "running";
      return { stored: result, stopping: reached && (await beginStopAtTarget(client, run.id)) };
    });
    if (stopping) await afterStopBegan(services, run.id);
    else if (stored.settled && !stored.othersPending) await advanceRun(services, run.id);
    return;
  }
  const stored = await storeVersionSettlement(services.asyncCommitPool, settlement);
  await afterSettled(services, run, stored);
}

async function afterSettled(
  services: PipelineServices,
  run: RunContext,
  stored: { settled: boolean; keptCount: number | null; othersPending: boolean },
): Promise<void> {
  if (!stored.settled) return;
  // A cheap check from the same statement; the supervisor's tick re-checks, for versions settled at the same instant.
  if (!stored.othersPending) await advanceRun(services, run.id);
}

/**
 * The run-wide screen (test-set contamination, then near-duplicates of other chains) before any answer is paid
 * for. A version screened out is dropped with its finding in the same transaction; true when that happened.
 */
async function dropIfScreenedOut(
  services: PipelineServices,
  run: RunContext,
  version: VersionForJob,
): Promise<boolean> {
  const stored = await withTransaction(services.pool, async (client) => {
    const verdict = await screenVersion(client, run, version, services.log);
    if (verdict.kind === "passed") return null;
    return storeVersionSettlement(client, {
      versionId: version.id,
      runId: run.id,
      responses: [],
      judgement: null,
      state: "dropped",
      keptAnswer: null,
      dropReason: verdict.reason,
      scores: null,
      child: null,
      error: null,
    });
  });
  if (!stored) return false;
  await afterSettled(services, run, stored);
  return true;
}

/** |G| ≤ θ before the last iteration: one uniformly sampled action rewrites the instruction (Fig. 10). */
async function improve(
  services: PipelineServices,
  run: RunContext,
  version: VersionForJob,
  signal: AbortSignal,
): Promise<Outcome> {
  const actions = version.actions ?? [];
  if (actions.length === 0) {
    return {
      kind: "failed",
      reason: "No Self-Rubrics actions are stored for this metadata entry, so it cannot be rewritten",
      rawOutput: null,
    };
  }
  const action = sampleAction(actions, deriveRng(run.randomSeed, ...improveRngLabels(version)));
  const rewrite = await callLlm(
    services,
    run,
    "strong",
    buildImprovePrompt({ instruction: version.text, action }),
    {
      signal,
      methodTemperature: true,
      seedLabels: improveRngLabels(version),
    },
  );
  if (!rewrite.ok)
    return {
      kind: "failed",
      reason: failureReason("Rewriting the instruction", rewrite.error),
      rawOutput: rewrite.error.rawText ?? null,
    };
  const childText = cleanImprovedInstruction(rewrite.result.value, version.text);
  if (!childText) {
    return {
      kind: "failed",
      reason: "Rewriting the instruction gave an empty or unchanged instruction",
      rawOutput: rewrite.result.text,
    };
  }
  return { kind: "improved", childText, action };
}

// The pipeline job handlers behind the queue worker: payload validation, dispatch by type, and the run-level
// outcomes no single item owns (the run stopped meanwhile; an endpoint that will never work; a job's last attempt).
import { setMaxListeners } from "node:events";
import { parsePipelineJob, type PipelineJob } from "@/lib/jobs/contracts";
import type { QueueJob } from "@/lib/jobs/worker";
import { isLlmError } from "@/lib/llm/errors";
import { advanceRun, failRun, finishStopIfIdle } from "@/lib/pipeline/advance";
import { FatalEndpointError, RunInactiveError } from "@/lib/pipeline/llm-step";
import { markItemFailed } from "@/lib/pipeline/reconcile";
import type { PipelineServices } from "@/lib/pipeline/services";
import { runDecodeTask } from "@/lib/pipeline/steps/decode";
import { runEncodeTask } from "@/lib/pipeline/steps/encode";
import { runPoolTask } from "@/lib/pipeline/steps/pool";
import { runRubricsTask } from "@/lib/pipeline/steps/rubrics";
import { runVersionJob } from "@/lib/pipeline/steps/version";

async function dispatch(services: PipelineServices, job: PipelineJob, signal: AbortSignal): Promise<void> {
  switch (job.type) {
    case "encode":
      return runEncodeTask(services, job, signal);
    case "pool":
      return runPoolTask(services, job, signal);
    case "rubrics":
      return runRubricsTask(services, job, signal);
    case "decode":
      return runDecodeTask(services, job, signal);
    case "version":
      return runVersionJob(services, job, signal);
  }
}

export async function handlePipelineJob(
  services: PipelineServices,
  queueJob: QueueJob,
  signal: AbortSignal,
): Promise<void> {
  const job = parsePipelineJob(queueJob.data);
  // The job stops when the worker stops (it goes back to the queue) or when the run stops running (it is done).
  const runSignal = services.runs.signalFor(job.runId);
  try {
    const jobSignal = AbortSignal.any([signal, runSignal]);
    setMaxListeners(100, jobSignal); // one signal serves every LLM call of the job, some in parallel
    await dispatch(services, job, jobSignal);
  } catch (error) {
    if (error instanceof RunInactiveError) return; // cancelled, failed or completed meanwhile: leave the item as it is
    if (runSignal.aborted && !signal.aborted) return; // its calls were aborted because the run stopped
    if (error instanceof FatalEndpointError) {
      await failRun(services, job.runId, { message: error.message, stopReason: "endpoint_error" });
      return;
    }
    if (isLlmError(error) && error.kind === "cancelled" && !signal.aborted) {
      throw new Error(`An LLM call was cancelled unexpectedly: ${error.message}`);
    }
    throw error;
  }
}

/** After a job settled: a cancelling (stopping) run becomes cancelled (completed) once its last job is done. */
export async function afterPipelineJob(services: PipelineServices, queueJob: QueueJob): Promise<void> {
  const runId = (queueJob.data as { runId?: unknown } | null)?.runId;
  if (typeof runId !== "number") return;
  const run = await services.runs.get(runId);
  if (run?.state === "cancelling" || run?.state === "stopping") await finishStopIfIdle(services, runId);
}

/** A job failed on its last attempt (a bug or a database outage, not an LLM failure): record it on the item. */
export async function onPipelineJobExhausted(
  services: PipelineServices,
  queueJob: QueueJob,
  error: unknown,
): Promise<void> {
  let job: PipelineJob;
  try {
    job = parsePipelineJob(queueJob.data);
  } catch {
    return;
  }
  services.log("error", "a pipeline job failed on every attempt", {
    runId: job.runId,
    job: job.type,
    error: error instanceof Error ? error.message : String(error),
  });
  const reason = `Failed on every attempt: ${error instanceof Error ? error.message : String(error)}`;
  await markItemFailed(services, job.runId, job, reason);
  await advanceRun(services, job.runId);
}

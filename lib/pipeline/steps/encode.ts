// Encode stage (paper §4.1, Fig. 7): one seed → its use case and skills, kept on the task until the pool is built.
import { z } from "zod";
import { buildEncodePrompt, ENCODE_PROMPT_VERSION, normalizeMetadata } from "@/lib/codeclm/encode";
import type { TaskJob } from "@/lib/jobs/contracts";
import { callLlm, ensureRunActive, failureReason } from "@/lib/pipeline/llm-step";
import type { PipelineServices } from "@/lib/pipeline/services";
import { loadPendingTask, settleTask } from "@/lib/pipeline/steps/settle-task";

/** What an encode task stores: the pool stage reads it back. */
export const encodeTaskOutputSchema = z.object({
  useCase: z.string(),
  skills: z.array(z.string()),
  llmCallId: z.number().int().nullable(),
  promptVersion: z.string(),
});
export type EncodeTaskOutput = z.infer<typeof encodeTaskOutputSchema>;

export async function runEncodeTask(
  services: PipelineServices,
  job: TaskJob,
  signal: AbortSignal,
): Promise<void> {
  const task = await loadPendingTask(services, job);
  if (!task) return;
  const run = await ensureRunActive(services, job.runId);
  const seed = await services.pool.query<{ instruction: string; input: string }>(
    `SELECT instruction, input FROM "Seed" WHERE id = $1`,
    [task.itemId],
  );
  const row = seed.rows[0];
  if (!row) {
    await settleTask(services, task, {
      state: "failed",
      error: "The seed was deleted before it was encoded",
    });
    return;
  }
  const { maxSkills } = run.config.settings;
  const prompt = buildEncodePrompt(row, { maxSkills, taskDescription: run.config.taskDescription });
  const outcome = await callLlm(services, run, "strong", prompt, {
    signal,
    methodTemperature: true,
    seedLabels: [row.instruction, row.input], // the seed's content, not its id
  });
  if (!outcome.ok) {
    await settleTask(services, task, {
      state: "failed",
      error: failureReason("Encoding the seed", outcome.error),
      rawOutput: outcome.error.rawText,
    });
    return;
  }
  const metadata = normalizeMetadata(outcome.result.value, { maxSkills });
  if (!metadata) {
    await settleTask(services, task, {
      state: "failed",
      error: "Encoding the seed gave no usable use case or skill",
      rawOutput: outcome.result.text,
    });
    return;
  }
  const output: EncodeTaskOutput = {
    useCase: metadata.useCase,
    skills: metadata.skills,
    llmCallId: outcome.result.callId,
    promptVersion: ENCODE_PROMPT_VERSION,
  };
  await settleTask(services, task, { state: "done", output });
}

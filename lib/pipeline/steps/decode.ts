// Decode stage (paper §4.1, Fig. 8): k basic instructions for one metadata entry in one round, asked in batches
// of at most 10, one after another. Later batches and rounds show the model the entry's earlier instructions so it
// writes new ones. The result does not depend on timing: batches are deduplicated in order, and slots are numbered.
import { z } from "zod";
import {
  buildDecodePrompt,
  dedupeInstructions,
  DECODE_PROMPT_VERSION,
  splitIntoBatches,
} from "@/lib/codeclm/decode";
import { insertBasicVersions, listEarlierBasicTexts } from "@/lib/db/instruction-versions";
import { recordRunError } from "@/lib/db/runs";
import type { TaskJob } from "@/lib/jobs/contracts";
import { callLlm, ensureRunActive, failureReason } from "@/lib/pipeline/llm-step";
import type { PipelineServices } from "@/lib/pipeline/services";
import { loadPendingTask, settleTask } from "@/lib/pipeline/steps/settle-task";

const decodeTaskInputSchema = z.object({ count: z.number().int().min(1) });

export async function runDecodeTask(
  services: PipelineServices,
  job: TaskJob,
  signal: AbortSignal,
): Promise<void> {
  const task = await loadPendingTask(services, job);
  if (!task) return;
  const run = await ensureRunActive(services, job.runId);
  const { count } = decodeTaskInputSchema.parse(task.input);
  const metadataId = task.itemId!;
  const entry = await services.pool.query<{ key: string; useCase: string; skills: string[] }>(
    `SELECT key, "useCase", skills FROM "MetadataEntry" WHERE id = $1`,
    [metadataId],
  );
  const metadata = entry.rows[0];
  if (!metadata) {
    await settleTask(services, task, {
      state: "failed",
      error: "The metadata entry was deleted before decoding",
    });
    return;
  }
  const previous =
    task.round > 1
      ? await listEarlierBasicTexts(services.pool, { runId: run.id, metadataId, beforeRound: task.round })
      : [];

  const sizes = splitIntoBatches(count);
  const written: string[] = [];
  const failures: Array<{ message: string; rawOutput: string | null }> = [];
  for (const [index, size] of sizes.entries()) {
    const prompt = buildDecodePrompt(metadata, {
      count: size,
      taskDescription: run.config.taskDescription,
      // Earlier rounds and the earlier batches of this round: the model sees what it must not repeat.
      previousInstructions: [...previous, ...written],
      batch: { index, total: sizes.length },
    });
    const outcome = await callLlm(services, run, "strong", prompt, {
      signal,
      methodTemperature: true,
      seedLabels: [metadata.key, task.round, index], // content, round and batch: not ids
    });
    if (outcome.ok) {
      // A model may write more than asked: the count stays what the method set.
      written.push(...dedupeInstructions(outcome.result.value.instructions).slice(0, size));
      continue;
    }
    failures.push({
      message: failureReason(
        `Writing basic instructions (batch ${index + 1} of ${sizes.length})`,
        outcome.error,
      ),
      rawOutput: outcome.error.rawText ?? null,
    });
  }
  const texts = dedupeInstructions(written, previous);
  if (texts.length === 0) {
    await settleTask(services, task, {
      state: "failed",
      error:
        failures.length > 0
          ? failures.map((failure) => failure.message).join("; ")
          : "Decoding gave no new instruction (all were repeats)",
      rawOutput: failures[0]?.rawOutput,
    });
    return;
  }
  await settleTask(
    services,
    task,
    { state: "done", output: { requested: count, written: texts.length, failedBatches: failures.length } },
    async (client) => {
      // Failed batches are recorded with the task's transition, so a repeated job does not record them twice.
      for (const failure of failures) {
        await recordRunError(client, {
          runId: run.id,
          stage: "decode",
          itemKind: "metadata",
          itemId: metadataId,
          ...failure,
        });
      }
      // No version jobs yet: the round's basic instructions are screened for near-duplicates together, in slot
      // order, once every decode task of the round is done (advanceRun), so the outcome never depends on timing.
      await insertBasicVersions(client, {
        projectId: run.projectId,
        runId: run.id,
        metadataId,
        round: task.round,
        texts,
        promptVersion: DECODE_PROMPT_VERSION,
      });
      return [];
    },
  );
}

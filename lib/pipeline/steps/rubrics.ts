// Rubrics stage (paper §4.2, Fig. 9): once per metadata entry, domain-specific rubrics and the actions that make
// an instruction harder. A rubric set already stored for the entry (an earlier run) is reused. On success the
// entry's first decode round is queued in the same transaction.
import { z } from "zod";
import { buildRubricsPrompt, RUBRICS_PROMPT_VERSION, validateRubrics } from "@/lib/codeclm/rubrics";
import { ensureTasks } from "@/lib/db/run-tasks";
import type { TaskJob } from "@/lib/jobs/contracts";
import { taskJobs } from "@/lib/pipeline/enqueue";
import { callLlm, ensureRunActive, failureReason } from "@/lib/pipeline/llm-step";
import type { PipelineServices } from "@/lib/pipeline/services";
import { loadPendingTask, settleTask } from "@/lib/pipeline/steps/settle-task";

const rubricsTaskInputSchema = z.object({ decodeCount: z.number().int().min(1) });

export async function runRubricsTask(
  services: PipelineServices,
  job: TaskJob,
  signal: AbortSignal,
): Promise<void> {
  const task = await loadPendingTask(services, job);
  if (!task) return;
  const run = await ensureRunActive(services, job.runId);
  const { decodeCount } = rubricsTaskInputSchema.parse(task.input);
  const entry = await services.pool.query<{
    id: number;
    key: string;
    useCase: string;
    skills: string[];
    hasRubrics: boolean;
  }>(
    `SELECT m.id, m.key, m."useCase", m.skills, EXISTS (SELECT 1 FROM "RubricSet" r WHERE r."metadataId" = m.id) AS "hasRubrics"
     FROM "MetadataEntry" m WHERE m.id = $1`,
    [task.itemId],
  );
  const metadata = entry.rows[0];
  if (!metadata) {
    await settleTask(services, task, {
      state: "failed",
      error: "The metadata entry was deleted before its rubrics were written",
    });
    return;
  }

  let rubricSet: { rubrics: string[]; actions: string[]; llmCallId: number | null } | null = null;
  if (!metadata.hasRubrics) {
    const { rubricCount, actionCount } = run.config.settings;
    const prompt = buildRubricsPrompt(metadata, {
      rubricCount,
      actionCount,
      taskDescription: run.config.taskDescription,
    });
    const outcome = await callLlm(services, run, "strong", prompt, {
      signal,
      methodTemperature: true,
      seedLabels: [metadata.key], // the entry's content, not its id: the same project data samples the same way
    });
    if (!outcome.ok) {
      await settleTask(services, task, {
        state: "failed",
        error: failureReason("Writing rubrics", outcome.error),
        rawOutput: outcome.error.rawText,
      });
      return;
    }
    const validation = validateRubrics(outcome.result.value, { rubricCount, actionCount });
    if (!validation.ok) {
      await settleTask(services, task, {
        state: "failed",
        error: `Writing rubrics gave unusable output: ${validation.reason}`,
        rawOutput: outcome.result.text,
      });
      return;
    }
    rubricSet = {
      rubrics: validation.rubrics,
      actions: validation.actions,
      llmCallId: outcome.result.callId,
    };
  }

  await settleTask(
    services,
    task,
    { state: "done", output: { reused: rubricSet === null } },
    async (client) => {
      if (rubricSet) {
        await client.query(
          `INSERT INTO "RubricSet" ("metadataId", rubrics, actions, "promptVersion", "llmCallId")
         VALUES ($1, $2::text[], $3::text[], $4, $5) ON CONFLICT ("metadataId") DO NOTHING`,
          [metadata.id, rubricSet.rubrics, rubricSet.actions, RUBRICS_PROMPT_VERSION, rubricSet.llmCallId],
        );
      }
      const created = await ensureTasks(client, run.id, [
        {
          kind: "decode",
          key: `decode:${metadata.id}:1`,
          itemId: metadata.id,
          round: 1,
          input: { count: decodeCount },
        },
      ]);
      return taskJobs(run, created);
    },
  );
}

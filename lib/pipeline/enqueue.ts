// Turning work items into queue jobs. Inserts can run on an open transaction's client, so a job is queued exactly
// when the state that needs it commits; deterministic job ids make a repeated enqueue a no-op.
import type { TaskRef } from "@/lib/db/run-tasks";
import { pipelineContract, type PipelineJob } from "@/lib/jobs/contracts";
import { insertJobs, type SqlRunner } from "@/lib/jobs/queue";
import type { PipelineServices } from "@/lib/pipeline/services";

export interface RunGeneration {
  id: number;
  generation: number;
}

export function taskJobs(run: RunGeneration, tasks: readonly Pick<TaskRef, "id" | "kind">[]): PipelineJob[] {
  return tasks.map((task) => ({
    type: task.kind,
    runId: run.id,
    generation: run.generation,
    taskId: task.id,
  }));
}

export function versionJobs(
  run: RunGeneration,
  versions: readonly { id: number; iteration: number }[],
): PipelineJob[] {
  return versions.map((version) => ({
    type: "version",
    runId: run.id,
    generation: run.generation,
    versionId: version.id,
    iteration: version.iteration,
  }));
}

export async function enqueueJobs(
  services: PipelineServices,
  jobs: readonly PipelineJob[],
  runner?: SqlRunner,
): Promise<void> {
  await insertJobs(services.boss, pipelineContract, jobs, {
    runner,
    expireSeconds: services.settings.expireSeconds,
  });
}

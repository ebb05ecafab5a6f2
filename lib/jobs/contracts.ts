// The pipeline's job contracts: a type, a zod payload and a priority. Handlers live in lib/pipeline and are safe
// to run twice; a job's id is derived from its run, the run's generation and the work item, so the same work
// is never queued twice.
import { z } from "zod";
import { deterministicJobId, type QueueJobInsert } from "@/lib/jobs/queue";

const id = z.number().int().positive();
const base = { runId: id, generation: id };

/** Work items tracked in RunTask: encode (per seed), pool (once), rubrics (per entry), decode (per entry and round). */
export const taskJobTypes = ["encode", "pool", "rubrics", "decode"] as const;
export type TaskJobType = (typeof taskJobTypes)[number];

export const pipelineJobSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("encode"), ...base, taskId: id }).strict(),
  z.object({ type: z.literal("pool"), ...base, taskId: id }).strict(),
  z.object({ type: z.literal("rubrics"), ...base, taskId: id }).strict(),
  z.object({ type: z.literal("decode"), ...base, taskId: id }).strict(),
  /** Answers, judges and routes one instruction version; iteration orders deeper versions first. */
  z.object({ type: z.literal("version"), ...base, versionId: id, iteration: id }).strict(),
]);

export type PipelineJob = z.infer<typeof pipelineJobSchema>;
export type PipelineJobType = PipelineJob["type"];
export type TaskJob = Extract<PipelineJob, { type: TaskJobType }>;
export type VersionJob = Extract<PipelineJob, { type: "version" }>;

export class InvalidJobPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidJobPayloadError";
  }
}

export function parsePipelineJob(data: unknown): PipelineJob {
  const parsed = pipelineJobSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`,
    );
    throw new InvalidJobPayloadError(`Invalid pipeline job payload (${problems.join("; ")})`);
  }
  return parsed.data;
}

/**
 * Higher runs first. Barriers (pool) and work that creates more work (decode, rubrics) go ahead of the
 * versions, so the queue stays full; deeper iterations go ahead of new basic instructions, so chains finish.
 */
export function jobPriority(job: PipelineJob): number {
  switch (job.type) {
    case "pool":
      return 100;
    case "encode":
      return 80;
    case "rubrics":
      return 70;
    case "decode":
      return 60;
    case "version":
      return 10 + Math.min(job.iteration, 40);
  }
}

/** The work item a job stands for, without the generation. */
export function jobItemKey(job: PipelineJob): string {
  return job.type === "version" ? `version:${job.versionId}` : `${job.type}:${job.taskId}`;
}

export function jobIdentity(job: PipelineJob): string {
  return `run:${job.runId}:gen:${job.generation}:${jobItemKey(job)}`;
}

export function toQueueJob(job: PipelineJob): QueueJobInsert {
  return {
    id: deterministicJobId(jobIdentity(job)),
    data: pipelineJobSchema.parse(job),
    priority: jobPriority(job),
  };
}

// Every queue's job contract in one place: the queue name, a zod payload, an identity and a priority. Handlers
// live next to their domain (lib/pipeline, lib/evaluation) and are safe to run twice; a job's id is derived from
// its identity (which includes the run's or evaluation's generation), so the same work is never queued twice.
import { createHash } from "node:crypto";
import { z } from "zod";

export const PIPELINE_QUEUE = "codeclm-pipeline";
export const EVALUATION_QUEUE = "codeclm-evaluation";
/** Every queue the app works; openQueue creates them all. */
export const queueNames = [PIPELINE_QUEUE, EVALUATION_QUEUE] as const;
export type QueueName = (typeof queueNames)[number];

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

/** One instruction of an evaluation: target and reference answer it, the judge scores both orders. */
export const evaluationJobSchema = z
  .object({ type: z.literal("evaluate-instruction"), evaluationId: id, generation: id, instructionId: id })
  .strict();
export type EvaluationJob = z.infer<typeof evaluationJobSchema>;

/** A payload that will never be valid: failed without retry by every queue. */
export class InvalidJobPayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidJobPayloadError";
  }
}

export interface JobContract<J> {
  queue: QueueName;
  /** Names the payload in error messages. */
  label: string;
  schema: z.ZodType<J>;
  /** Stable text naming the work (with its generation); the job id is derived from it. */
  identity(job: J): string;
  /** Higher runs first. */
  priority(job: J): number;
}

/** The work item a pipeline job stands for, without the generation. */
export function jobItemKey(job: PipelineJob): string {
  return job.type === "version" ? `version:${job.versionId}` : `${job.type}:${job.taskId}`;
}

export function jobIdentity(job: PipelineJob): string {
  return `run:${job.runId}:gen:${job.generation}:${jobItemKey(job)}`;
}

/**
 * Barriers (pool) and work that creates more work (decode, rubrics) go ahead of the versions, so the queue stays
 * full; deeper iterations go ahead of new basic instructions, so chains finish.
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

export const pipelineContract: JobContract<PipelineJob> = {
  queue: PIPELINE_QUEUE,
  label: "pipeline",
  schema: pipelineJobSchema,
  identity: jobIdentity,
  priority: jobPriority,
};

export const evaluationContract: JobContract<EvaluationJob> = {
  queue: EVALUATION_QUEUE,
  label: "evaluation",
  schema: evaluationJobSchema,
  identity: (job) => `evaluation:${job.evaluationId}:gen:${job.generation}:instruction:${job.instructionId}`,
  priority: () => 0,
};

/** Parses a payload by its contract; an invalid one throws InvalidJobPayloadError naming the field. */
export function parseJob<J>(contract: JobContract<J>, data: unknown): J {
  const parsed = contract.schema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join(".") || "payload"}: ${issue.message}`,
    );
    throw new InvalidJobPayloadError(`Invalid ${contract.label} job payload (${problems.join("; ")})`);
  }
  return parsed.data;
}

export function parsePipelineJob(data: unknown): PipelineJob {
  return parseJob(pipelineContract, data);
}

export function parseEvaluationJob(data: unknown): EvaluationJob {
  return parseJob(evaluationContract, data);
}

/** A UUID derived from the job's identity: the same work always gets the same id (pg-boss inserts ON CONFLICT DO NOTHING). */
export function deterministicJobId(identity: string): string {
  const hex = createHash("sha256").update(identity).digest("hex");
  // Shaped like a version-5 UUID so PostgreSQL's uuid type and any validator accept it.
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export interface QueueJobInsert {
  id: string;
  data: object;
  priority: number;
}

export function jobIdOf<J>(contract: JobContract<J>, job: J): string {
  return deterministicJobId(contract.identity(job));
}

export function toContractJob<J>(contract: JobContract<J>, job: J): QueueJobInsert {
  return {
    id: jobIdOf(contract, job),
    data: contract.schema.parse(job) as object,
    priority: contract.priority(job),
  };
}

export function toQueueJob(job: PipelineJob): QueueJobInsert {
  return toContractJob(pipelineContract, job);
}

export function evaluationJobId(job: EvaluationJob): string {
  return jobIdOf(evaluationContract, job);
}

export function evaluationJobs(
  evaluation: { id: number; generation: number },
  instructionIds: readonly number[],
): EvaluationJob[] {
  return instructionIds.map((instructionId) => ({
    type: "evaluate-instruction",
    evaluationId: evaluation.id,
    generation: evaluation.generation,
    instructionId,
  }));
}

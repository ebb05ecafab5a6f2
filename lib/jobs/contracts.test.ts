import { describe, expect, it } from "vitest";
import {
  deterministicJobId,
  InvalidJobPayloadError,
  jobPriority,
  parsePipelineJob,
  toQueueJob,
  type PipelineJob,
} from "@/lib/jobs/contracts";

const version: PipelineJob = { type: "version", runId: 3, generation: 1, versionId: 42, iteration: 2 };

describe("pipeline job contracts", () => {
  it("accepts each job type's payload", () => {
    for (const type of ["encode", "pool", "rubrics", "decode"] as const) {
      expect(parsePipelineJob({ type, runId: 1, generation: 2, taskId: 9 })).toEqual({
        type,
        runId: 1,
        generation: 2,
        taskId: 9,
      });
    }
    expect(parsePipelineJob(version)).toEqual(version);
  });

  it("rejects unknown types, missing or wrong fields and extra keys, naming the field", () => {
    expect(() => parsePipelineJob({ type: "translate", runId: 1, generation: 1, taskId: 1 })).toThrow(
      InvalidJobPayloadError,
    );
    expect(() => parsePipelineJob({ type: "encode", runId: 1, generation: 1 })).toThrow(/taskId/);
    expect(() =>
      parsePipelineJob({ type: "version", runId: 1, generation: 1, versionId: -4, iteration: 1 }),
    ).toThrow(/versionId/);
    expect(() => parsePipelineJob({ type: "decode", runId: "1", generation: 1, taskId: 1 })).toThrow(/runId/);
    expect(() => parsePipelineJob({ ...version, extra: true })).toThrow(InvalidJobPayloadError);
    expect(() => parsePipelineJob(null)).toThrow(InvalidJobPayloadError);
  });

  it("derives the same job id for the same work, a new one per generation", () => {
    const first = toQueueJob(version);
    expect(toQueueJob({ ...version }).id).toBe(first.id);
    expect(toQueueJob({ ...version, generation: 2 }).id).not.toBe(first.id);
    expect(toQueueJob({ ...version, versionId: 43 }).id).not.toBe(first.id);
    expect(toQueueJob({ type: "encode", runId: 3, generation: 1, taskId: 42 }).id).not.toBe(first.id);
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicJobId("x")).toBe(deterministicJobId("x"));
  });

  it("runs barriers and work-creating jobs first, deeper iterations before new instructions", () => {
    const task = (type: "encode" | "pool" | "rubrics" | "decode") =>
      jobPriority({ type, runId: 1, generation: 1, taskId: 1 });
    expect(task("pool")).toBeGreaterThan(task("encode"));
    expect(task("rubrics")).toBeGreaterThan(task("decode"));
    expect(task("decode")).toBeGreaterThan(jobPriority(version));
    expect(jobPriority({ ...version, iteration: 3 })).toBeGreaterThan(
      jobPriority({ ...version, iteration: 1 }),
    );
  });
});

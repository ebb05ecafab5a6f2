import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import {
  buildEvaluationConfig,
  customEndpoint,
  describeEvaluationEndpoint,
  evaluationEndpointFor,
  parseEvaluationConfig,
  resolveEndpointChoice,
} from "./config";
import { evaluationJobId, evaluationJobs, parseEvaluationJob } from "@/lib/jobs/contracts";

const target = customEndpoint("target", { baseUrl: "http://127.0.0.1:8000/v1/", model: "llama-7b-tuned" });
const strong = customEndpoint("strong", {
  baseUrl: "https://api.example.com/v1",
  model: "gemini-pro",
  apiKeyEnv: "GEMINI_KEY",
  maxConcurrency: 4,
});
const judge = customEndpoint("judge", { baseUrl: "https://api.example.com/v1", model: "gpt-4" });

describe("the evaluation config", () => {
  it("judges with the reference unless a judge is given, and logs calls under the pipeline's roles", () => {
    const config = buildEvaluationConfig({ target, reference: strong });
    expect(config.judge).toBeNull();
    expect(evaluationEndpointFor(config, "judge")).toMatchObject({
      model: "gemini-pro",
      role: "judge",
      apiKeyEnv: "GEMINI_KEY",
    });
    expect(evaluationEndpointFor(config, "reference")).toMatchObject({
      model: "gemini-pro",
      role: "strong",
      maxConcurrency: 4,
    });
    expect(evaluationEndpointFor(config, "target")).toMatchObject({
      baseUrl: "http://127.0.0.1:8000/v1",
      role: "target",
    });
    expect(describeEvaluationEndpoint(config, "judge")).toBe(
      "the judge endpoint (the reference, gemini-pro at https://api.example.com/v1)",
    );

    const withJudge = buildEvaluationConfig({ target, reference: strong, judge });
    expect(evaluationEndpointFor(withJudge, "judge").model).toBe("gpt-4");
  });

  it("round-trips through the stored snapshot without anything but the endpoint fields", () => {
    const config = buildEvaluationConfig({
      target: { ...target, secret: "sk-123" } as typeof target,
      reference: strong,
    });
    const stored = JSON.parse(JSON.stringify(config)) as unknown;
    expect(JSON.stringify(stored)).not.toContain("sk-123");
    expect(parseEvaluationConfig(stored)).toEqual(config);
  });

  it("resolves the page's choices: a project endpoint by role, or a custom one", () => {
    expect(resolveEndpointChoice({ source: "project", role: "strong" }, { strong }, "reference")).toBe(
      strong,
    );
    expect(
      resolveEndpointChoice(
        { source: "custom", baseUrl: "http://x/v1", model: "m", apiKeyEnv: null },
        {},
        "target",
      ),
    ).toMatchObject({
      baseUrl: "http://x/v1",
      model: "m",
      maxTokens: 2048,
    });
    expect(() => resolveEndpointChoice({ source: "project", role: "judge" }, { strong }, "judge")).toThrow(
      AppError,
    );
  });
});

describe("evaluation jobs", () => {
  it("have one deterministic id per evaluation, generation and instruction", () => {
    const [first, second] = evaluationJobs({ id: 3, generation: 1 }, [10, 11]);
    expect(evaluationJobId(first!)).toBe(evaluationJobId({ ...first! }));
    expect(evaluationJobId(first!)).not.toBe(evaluationJobId(second!));
    expect(evaluationJobId(first!)).not.toBe(evaluationJobId({ ...first!, generation: 2 }));
    expect(evaluationJobId(first!)).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("refuse a payload that is not an evaluation job", () => {
    expect(
      parseEvaluationJob({ type: "evaluate-instruction", evaluationId: 1, generation: 1, instructionId: 2 })
        .instructionId,
    ).toBe(2);
    expect(() => parseEvaluationJob({ type: "version", runId: 1 })).toThrow(/Invalid evaluation job payload/);
  });
});

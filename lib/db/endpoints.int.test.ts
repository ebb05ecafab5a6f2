import { describe, expect, it } from "vitest";
import { getProjectEndpoints, listEndpoints, removeEndpoint, upsertEndpoint } from "@/lib/db/endpoints";
import { AppError } from "@/lib/errors";
import { endpointInputSchema, type EndpointInput } from "@/lib/schemas/endpoint";
import { createTestProject, useTestDatabase } from "@/test/db";

function input(overrides: Record<string, unknown> = {}): EndpointInput {
  return endpointInputSchema.parse({
    role: "strong",
    baseUrl: "http://127.0.0.1:8787/v1/",
    model: "fake-strong",
    apiKeyEnv: "",
    maxConcurrency: "16",
    requestsPerMinute: "600",
    tokensPerMinute: "",
    temperature: "",
    maxTokens: "2048",
    priceInputPerMTok: "0.5",
    priceOutputPerMTok: "1.5",
    structuredOutputMode: "json_schema",
    timeoutMs: "60000",
    ...overrides,
  });
}

describe("endpoints", () => {
  it("upserts one endpoint per role and hands the pipeline EndpointConfigs by role", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);

    await upsertEndpoint(db, { projectId: project.id, endpoint: input() });
    await upsertEndpoint(db, {
      projectId: project.id,
      endpoint: input({ role: "target", model: "fake-target", apiKeyEnv: "TARGET_KEY" }),
    });
    const replaced = await upsertEndpoint(db, {
      projectId: project.id,
      endpoint: input({ model: "fake-strong-2", structuredOutputMode: "json_in_text", temperature: "0.2" }),
    });
    expect(replaced.model).toBe("fake-strong-2");
    expect(await db.endpoint.count({ where: { projectId: project.id } })).toBe(2);

    const endpoints = await getProjectEndpoints(db, project.id);
    expect(endpoints.judge).toBeUndefined();
    expect(endpoints.strong).toEqual({
      role: "strong",
      baseUrl: "http://127.0.0.1:8787/v1", // trailing slash removed by the schema
      model: "fake-strong-2",
      apiKeyEnv: null,
      maxConcurrency: 16,
      requestsPerMinute: 600,
      tokensPerMinute: null,
      temperature: 0.2,
      maxTokens: 2048,
      priceInputPerMTok: 0.5,
      priceOutputPerMTok: 1.5,
      structuredOutputMode: "json_in_text",
      timeoutMs: 60000,
      tokenLimitParam: "auto",
      reasoningEffort: null,
    });
    expect(endpoints.target).toMatchObject({ model: "fake-target", apiKeyEnv: "TARGET_KEY" });
  });

  it("lists strong, target, judge in order, scoped by project", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    await upsertEndpoint(db, { projectId: project.id, endpoint: input({ role: "judge" }) });
    await upsertEndpoint(db, { projectId: project.id, endpoint: input({ role: "target" }) });
    await upsertEndpoint(db, { projectId: project.id, endpoint: input({ role: "strong" }) });
    await upsertEndpoint(db, {
      projectId: other.id,
      endpoint: input({ role: "strong", model: "elsewhere" }),
    });

    expect((await listEndpoints(db, project.id)).map((row) => row.role)).toEqual([
      "strong",
      "target",
      "judge",
    ]);
    expect((await listEndpoints(db, other.id)).map((row) => row.model)).toEqual(["elsewhere"]);
  });

  it("removes an endpoint of one project only, and says when there is none", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    await upsertEndpoint(db, { projectId: project.id, endpoint: input({ role: "judge" }) });
    await upsertEndpoint(db, { projectId: other.id, endpoint: input({ role: "judge" }) });

    await removeEndpoint(db, { projectId: project.id, role: "judge" });
    expect((await getProjectEndpoints(db, project.id)).judge).toBeUndefined();
    expect((await getProjectEndpoints(db, other.id)).judge).toBeDefined();
    await expect(removeEndpoint(db, { projectId: project.id, role: "judge" })).rejects.toThrow(
      /no judge endpoint/,
    );
  });

  it("refuses an endpoint for a project that does not exist", async () => {
    const db = useTestDatabase();
    const error = await upsertEndpoint(db, { projectId: 2_000_000_000, endpoint: input() }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("not_found");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { endpointFormDefaults } from "@/lib/schemas/endpoint";
import { actionFieldErrors } from "@/lib/schemas/form-errors";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";
import { createTestProject, useTestDatabase } from "@/test/db";
import { removeEndpointAction, saveEndpointAction, testEndpointAction } from "./endpoint-actions";

let server: FakeLlmServer;
beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.stop();
});

function form(overrides: Record<string, string> = {}) {
  return { ...endpointFormDefaults, role: "strong", baseUrl: server.url, model: "fake-strong", ...overrides };
}

describe("Models page actions", () => {
  it("saves the form's values and sends back field errors for bad ones", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);

    const bad = await saveEndpointAction({
      projectId: project.id,
      endpoint: form({ baseUrl: "localhost:1", maxConcurrency: "0" }),
    });
    expect(bad.ok).toBe(false);
    expect(actionFieldErrors(bad)).toEqual({
      "endpoint.baseUrl": "Enter an http:// or https:// URL, e.g. http://127.0.0.1:8000/v1",
      "endpoint.maxConcurrency": "Use a number from 1 to 1,024",
    });

    const saved = await saveEndpointAction({
      projectId: project.id,
      endpoint: form({ apiKeyEnv: "UNSET_TEST_API_KEY" }),
    });
    expect(saved.ok && saved.data).toMatchObject({
      role: "strong",
      apiKeySet: false,
      values: { model: "fake-strong", maxConcurrency: "8", apiKeyEnv: "UNSET_TEST_API_KEY" },
    });
    expect(await db.endpoint.count({ where: { projectId: project.id } })).toBe(1);
  });

  it("tests the unsaved form: latency and structured output, or what failed", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);

    const ok = await testEndpointAction({ projectId: project.id, endpoint: form() });
    expect(ok.ok && ok.data).toMatchObject({ ok: true, structuredOutput: true });

    const probe = await startFakeLlmServer();
    await probe.stop();
    const unreachable = await testEndpointAction({
      projectId: project.id,
      endpoint: form({ baseUrl: probe.url }),
    });
    expect(unreachable.ok && unreachable.data).toMatchObject({ ok: false, kind: "unreachable" });

    server.setOptions({ models: ["fake-strong"] });
    const unknown = await testEndpointAction({
      projectId: project.id,
      endpoint: form({ model: "fake-unknown" }),
    });
    expect(unknown.ok && unknown.data).toMatchObject({ ok: false, kind: "model_not_found" });
    server.setOptions({ models: null, supportsJsonSchema: false });
    const textOnly = await testEndpointAction({ projectId: project.id, endpoint: form() });
    server.setOptions({ supportsJsonSchema: true });
    expect(textOnly.ok && textOnly.data).toMatchObject({ ok: true, structuredOutput: false });
    expect(textOnly.ok && textOnly.data.ok && textOnly.data.advice).toContain("json_in_text");

    expect(await db.endpoint.count({ where: { projectId: project.id } })).toBe(0); // testing saves nothing
  });

  it("refuses the exfiltration request: DATABASE_URL as the key variable and an attacker's URL get nothing", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const attacker = await startFakeLlmServer();
    try {
      for (const apiKeyEnv of ["DATABASE_URL", "PATH", "CODECLM_DATA_DIR"]) {
        const endpoint = form({ baseUrl: attacker.url, apiKeyEnv });
        const tested = await testEndpointAction({ projectId: project.id, endpoint });
        expect(tested).toMatchObject({ ok: false, code: "invalid_input" });
        expect(actionFieldErrors(tested)["endpoint.apiKeyEnv"]).toMatch(new RegExp(apiKeyEnv));
        const saved = await saveEndpointAction({ projectId: project.id, endpoint });
        expect(saved).toMatchObject({ ok: false, code: "invalid_input" });
      }
      expect(attacker.stats().requests).toBe(0);
      expect(await db.endpoint.count({ where: { projectId: project.id } })).toBe(0);
    } finally {
      await attacker.stop();
    }
  });

  it("removes the judge but never the strong or target endpoint", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    await saveEndpointAction({ projectId: project.id, endpoint: form() });
    await saveEndpointAction({ projectId: project.id, endpoint: form({ role: "judge" }) });

    const refused = await removeEndpointAction({ projectId: project.id, role: "strong" });
    expect(refused).toMatchObject({ ok: false, code: "invalid_input" });
    expect(refused.ok ? "" : refused.error).toMatch(/Only the judge can be removed/);
    expect(await removeEndpointAction({ projectId: project.id, role: "judge" })).toEqual({
      ok: true,
      data: null,
    });
    expect((await db.endpoint.findMany({ where: { projectId: project.id } })).map((row) => row.role)).toEqual(
      ["strong"],
    );
  });
});

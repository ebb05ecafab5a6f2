import { describe, expect, it } from "vitest";
import { DEFAULT_METHOD_SETTINGS } from "@/lib/codeclm/settings";
import { getProjectSettings, updateProjectSettings } from "@/lib/db/project-settings";
import { createTestProject, useTestDatabase } from "@/test/db";

describe("project settings", () => {
  it("reads the paper's defaults for a new project and saves name, task and parameters", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const before = await getProjectSettings(db, project.id);
    expect(before.settings).toEqual(DEFAULT_METHOD_SETTINGS);

    const saved = await updateProjectSettings(db, {
      projectId: project.id,
      name: "Support bot",
      taskDescription: "Answer billing questions",
      settings: { ...DEFAULT_METHOD_SETTINGS, gapThreshold: 2.5, poolSize: 50 },
    });
    expect(saved).toMatchObject({ name: "Support bot", taskDescription: "Answer billing questions" });
    expect(saved.settings).toEqual({ ...DEFAULT_METHOD_SETTINGS, gapThreshold: 2.5, poolSize: 50 });
    expect(saved.updatedAt.getTime()).toBeGreaterThanOrEqual(before.updatedAt.getTime());
    expect((await getProjectSettings(db, project.id)).settings.gapThreshold).toBe(2.5);

    await expect(getProjectSettings(db, 2_000_000_000)).rejects.toThrow(/does not exist/);
  });
});

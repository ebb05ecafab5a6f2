import { describe, expect, it } from "vitest";
import { actionFieldErrors } from "@/lib/schemas/form-errors";
import { createTestProject, useTestDatabase } from "@/test/db";
import {
  createMetadataEntryAction,
  deleteMetadataEntriesAction,
  updateMetadataEntryAction,
} from "./metadata-actions";

describe("Metadata page actions", () => {
  it("checks skills against the project's own limit and puts a duplicate's error next to the use case", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    await db.project.update({ where: { id: project.id }, data: { maxSkills: 2 } });

    const tooMany = await createMetadataEntryAction({
      projectId: project.id,
      useCase: "Coding",
      skills: "a, b, c",
    });
    expect(actionFieldErrors(tooMany)).toEqual({
      skills: 'At most 2 skills (the project\'s "Skills per instruction" setting)',
    });

    // Repeats count once: two distinct skills fit.
    const ok = await createMetadataEntryAction({
      projectId: project.id,
      useCase: "Coding ",
      skills: "Algorithms, algorithms, debugging",
    });
    expect(ok.ok && ok.data).toMatchObject({
      useCase: "Coding",
      skills: ["Algorithms", "debugging"],
      origin: "handwritten",
    });

    const duplicate = await createMetadataEntryAction({
      projectId: project.id,
      useCase: "coding",
      skills: "debugging, ALGORITHMS",
    });
    expect(duplicate).toMatchObject({ ok: false, code: "conflict" });
    expect(actionFieldErrors(duplicate).useCase).toMatch(/already has this use case and these skills/);
  });

  it("edits and deletes only within the project", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const other = await createTestProject(db);
    const created = await createMetadataEntryAction({
      projectId: project.id,
      useCase: "Coding",
      skills: "algorithms",
    });
    if (!created.ok) throw new Error(created.error);

    const foreignEdit = await updateMetadataEntryAction({
      projectId: other.id,
      id: created.data.id,
      useCase: "X",
      skills: "y",
    });
    expect(foreignEdit).toMatchObject({ ok: false, code: "not_found" });
    const edited = await updateMetadataEntryAction({
      projectId: project.id,
      id: created.data.id,
      useCase: "Code review",
      skills: "security",
    });
    expect(edited.ok && edited.data.useCase).toBe("Code review");

    expect(await deleteMetadataEntriesAction({ projectId: other.id, ids: [created.data.id] })).toEqual({
      ok: true,
      data: { deleted: 0, withInstructions: 0 },
    });
    expect(await deleteMetadataEntriesAction({ projectId: project.id, ids: [] })).toMatchObject({
      ok: false,
      code: "invalid_input",
    });
    expect(await deleteMetadataEntriesAction({ projectId: project.id, ids: [created.data.id] })).toEqual({
      ok: true,
      data: { deleted: 1, withInstructions: 0 },
    });
  });
});

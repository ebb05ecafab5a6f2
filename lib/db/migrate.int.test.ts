import { inject, describe, expect, it } from "vitest";
import { applyMigrations, diffMigrationsToSchema } from "@/lib/db/migrate";
import { createTestProject, useTestDatabase } from "@/test/db";

describe("migrations", () => {
  it("match prisma/schema.prisma exactly (a schema change without a migration fails here)", async () => {
    expect(await diffMigrationsToSchema(inject("databaseUrl"))).toBeNull();
  });

  it("are recorded like the native engine, so a second deploy finds nothing pending", async () => {
    expect(await applyMigrations(inject("databaseUrl"))).toEqual([]);
    const db = useTestDatabase();
    const rows = await db.$queryRaw<{ migration_name: string; finished_at: Date | null; checksum: string }[]>`
      SELECT migration_name, finished_at, checksum FROM _prisma_migrations`;
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it("keeps the full-text search column in step with the text", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db);
    const run = await db.run.create({ data: { projectId: project.id, configSnapshot: {}, randomSeed: 1 } });
    const metadata = await db.metadataEntry.create({
      data: {
        projectId: project.id,
        useCase: "business plan writing",
        skills: ["market analysis"],
        origin: "handwritten",
        key: "k",
      },
    });
    const version = await db.instructionVersion.create({
      data: {
        projectId: project.id,
        runId: run.id,
        metadataId: metadata.id,
        iteration: 1,
        text: "Write a SWOT analysis for a bakery",
        promptVersion: "t",
      },
    });
    const hits = await db.$queryRaw<{ id: number }[]>`
      SELECT id FROM "InstructionVersion" WHERE "searchVector" @@ websearch_to_tsquery('english', 'bakeries swot')`;
    expect(hits.map((hit) => hit.id)).toEqual([version.id]);
  });
});

// Review test data: versions shaped like the pipeline's output, inserted directly (integration tests only).
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface FixtureVersion {
  text: string;
  state?: "pending" | "kept" | "improved" | "dropped" | "failed";
  iteration?: number;
  gap?: number | null;
  strongScore?: number | null;
  targetScore?: number | null;
  metadata?: number;
  run?: number;
  createdAt?: Date;
  reviewDecision?: "accepted" | "rejected" | null;
}

export interface ReviewFixture {
  projectId: number;
  runIds: number[];
  metadataIds: number[];
  versionIds: number[];
}

/** A project's runs, metadata entries (with rubric sets) and flat versions (no chains). */
export async function insertReviewFixture(
  db: PrismaClient,
  projectId: number,
  options: {
    metadata: Array<{ useCase: string; skills: string[] }>;
    runs?: number;
    versions: FixtureVersion[];
  },
): Promise<ReviewFixture> {
  const runIds: number[] = [];
  for (let index = 0; index < (options.runs ?? 1); index++) {
    const run = await db.run.create({
      data: { projectId, configSnapshot: {}, randomSeed: index, state: "completed" },
    });
    runIds.push(run.id);
  }
  const metadataIds: number[] = [];
  for (const [index, entry] of options.metadata.entries()) {
    const created = await db.metadataEntry.create({
      data: {
        projectId,
        useCase: entry.useCase,
        skills: entry.skills,
        origin: "mixed",
        key: `${entry.useCase} | ${entry.skills.join(",")} | ${index}`,
        rubricSet: {
          create: {
            rubrics: [`Rubric for ${entry.useCase}`],
            actions: ["Add constraints"],
            promptVersion: "test",
          },
        },
      },
    });
    metadataIds.push(created.id);
  }
  const created = await db.instructionVersion.createManyAndReturn({
    data: options.versions.map((version) => {
      const gap = version.gap === undefined ? (version.state === "pending" ? null : 4) : version.gap;
      return {
        projectId,
        runId: runIds[version.run ?? 0]!,
        metadataId: metadataIds[version.metadata ?? 0]!,
        iteration: version.iteration ?? 1,
        text: version.text,
        state: version.state ?? "kept",
        keptAnswer: (version.state ?? "kept") === "kept" ? ("strong" as const) : null,
        promptVersion: "test",
        gap,
        strongScore: version.strongScore === undefined ? (gap === null ? null : 8) : version.strongScore,
        targetScore:
          version.targetScore === undefined ? (gap === null ? null : 8 - gap) : version.targetScore,
        reviewDecision: version.reviewDecision ?? null,
        ...(version.createdAt ? { createdAt: version.createdAt } : {}),
      };
    }),
    select: { id: true },
  });
  return { projectId, runIds, metadataIds, versionIds: created.map((row) => row.id) };
}

import { describe, expect, it } from "vitest";
import { countMatching, getReviewDetail, listReviewItems } from "@/lib/db/review";
import { bulkReview, countHandDecisions, reviewItems, undoLastReview } from "@/lib/db/review-decisions";
import { insertReviewFixture } from "@/lib/db/review-fixtures";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createTestProject, useTestDatabase } from "@/test/db";

/** A three-iteration chain (improved → improved → kept) with answers and a judgement on the last version. */
async function insertChain(db: PrismaClient) {
  const project = await createTestProject(db, "review chain");
  const fixture = await insertReviewFixture(db, project.id, {
    metadata: [{ useCase: "Cooking", skills: ["baking", "chemistry"] }],
    versions: [],
  });
  const common = {
    projectId: project.id,
    runId: fixture.runIds[0]!,
    metadataId: fixture.metadataIds[0]!,
    promptVersion: "t",
  };
  const first = await db.instructionVersion.create({
    data: {
      ...common,
      iteration: 1,
      text: "Explain how bread rises.",
      state: "improved",
      gap: 1,
      strongScore: 8,
      targetScore: 7,
    },
  });
  await db.instructionVersion.update({ where: { id: first.id }, data: { rootId: first.id } });
  const second = await db.instructionVersion.create({
    data: {
      ...common,
      iteration: 2,
      rootId: first.id,
      parentId: first.id,
      actionApplied: "Add constraints",
      text: "Explain how sourdough bread rises, in three steps.",
      state: "improved",
      gap: 2,
      strongScore: 8,
      targetScore: 6,
    },
  });
  const third = await db.instructionVersion.create({
    data: {
      ...common,
      iteration: 3,
      rootId: first.id,
      parentId: second.id,
      actionApplied: "Deepen the reasoning",
      text: "Explain the chemistry of how sourdough bread rises, in three steps.",
      state: "kept",
      keptAnswer: "strong",
      gap: 4.5,
      strongScore: 9,
      targetScore: 4.5,
      responses: {
        create: [
          { role: "strong", model: "big-model", text: "**Yeast** and bacteria ferment sugars." },
          { role: "target", model: "small-model", text: "Bread rises because of air." },
        ],
      },
      judgement: {
        create: {
          judgeModel: "big-model",
          strongScoreOrderA: 9,
          targetScoreOrderA: 5,
          strongScoreOrderB: 9,
          targetScoreOrderB: 4,
          strongScore: 9,
          targetScore: 4.5,
          gap: 4.5,
          threshold: 3,
          decision: "keep_strong",
          promptVersion: "t",
        },
      },
    },
  });
  return { projectId: project.id, ids: [first.id, second.id, third.id] as const };
}

describe("getReviewDetail", () => {
  it("returns the chain from the basic instruction, both answers, the judgement, metadata and rubric set", async () => {
    const db = useTestDatabase();
    const { projectId, ids } = await insertChain(db);
    const detail = await getReviewDetail(db, { projectId, versionId: ids[2] });
    expect(detail.chain.map((step) => [step.id, step.iteration, step.actionApplied])).toEqual([
      [ids[0], 1, null],
      [ids[1], 2, "Add constraints"],
      [ids[2], 3, "Deepen the reasoning"],
    ]);
    expect(detail.chain[0]).toMatchObject({ text: "Explain how bread rises.", state: "improved", gap: 1 });
    expect(detail.answers.strong).toEqual({
      model: "big-model",
      text: "**Yeast** and bacteria ferment sugars.",
    });
    expect(detail.answers.target?.model).toBe("small-model");
    expect(detail.judgement).toMatchObject({
      strongScoreOrderA: 9,
      targetScoreOrderB: 4,
      gap: 4.5,
      threshold: 3,
      decision: "keep_strong",
    });
    expect(detail.metadata).toMatchObject({ useCase: "Cooking", skills: ["baking", "chemistry"] });
    expect(detail.rubricSet).toEqual({ rubrics: ["Rubric for Cooking"], actions: ["Add constraints"] });
    expect(detail.nextVersionId).toBeNull();
    expect(detail.version).toMatchObject({ id: ids[2], keptAnswer: "strong", reviewDecision: null });

    const middle = await getReviewDetail(db, { projectId, versionId: ids[1] });
    expect(middle.chain.map((step) => step.id)).toEqual([ids[0], ids[1]]);
    expect(middle.nextVersionId).toBe(ids[2]);
    expect(middle.answers).toEqual({ strong: null, target: null });
  });
});

describe("reviewItems and undoLastReview", () => {
  it("accepts, edits and notes one version, records each step, and undoes them one by one", async () => {
    const db = useTestDatabase();
    const { projectId, ids } = await insertChain(db);
    const versionId = ids[2];

    expect(
      await reviewItems(db, { projectId, versionIds: [versionId], decision: "accepted", note: "good one" }),
    ).toEqual({
      count: 1,
      batchId: null,
    });
    await reviewItems(db, {
      projectId,
      versionIds: [versionId],
      editedText: "Explain how rye sourdough rises.",
    });
    await reviewItems(db, {
      projectId,
      versionIds: [versionId],
      editedAnswer: "Yeast and lactobacilli ferment sugars.",
    });
    let detail = await getReviewDetail(db, { projectId, versionId });
    expect(detail.version).toMatchObject({
      reviewDecision: "accepted",
      editedText: "Explain how rye sourdough rises.",
      editedAnswer: "Yeast and lactobacilli ferment sugars.",
    });
    expect(detail.reviews.map((review) => review.decision)).toEqual(["accepted", "accepted", "accepted"]);
    expect(detail.note).toBe("good one");
    // The edited text is what search finds (searchVector is generated from it).
    expect(await countMatching(db, { projectId, filter: { search: "rye" } })).toBe(1);
    expect(await countMatching(db, { projectId, filter: { search: "chemistry" } })).toBe(0);

    await undoLastReview(db, { projectId, versionId });
    detail = await getReviewDetail(db, { projectId, versionId });
    expect(detail.version).toMatchObject({
      reviewDecision: "accepted",
      editedText: "Explain how rye sourdough rises.",
      editedAnswer: null,
    });
    await undoLastReview(db, { projectId, versionId });
    await undoLastReview(db, { projectId, versionId });
    detail = await getReviewDetail(db, { projectId, versionId });
    expect(detail.version).toMatchObject({ reviewDecision: null, editedText: null, editedAnswer: null });
    expect(detail.reviews).toEqual([]);
    await expect(undoLastReview(db, { projectId, versionId })).rejects.toThrow(AppError);
  });

  it("stores no edit when the text is set back to the original, and clears a decision with null", async () => {
    const db = useTestDatabase();
    const { projectId, ids } = await insertChain(db);
    const versionId = ids[2];
    await reviewItems(db, {
      projectId,
      versionIds: [versionId],
      decision: "rejected",
      editedText: "Something else.",
    });
    await reviewItems(db, {
      projectId,
      versionIds: [versionId],
      decision: null,
      editedText: "Explain the chemistry of how sourdough bread rises, in three steps.",
      editedAnswer: "**Yeast** and bacteria ferment sugars.",
    });
    const detail = await getReviewDetail(db, { projectId, versionId });
    expect(detail.version).toMatchObject({ reviewDecision: null, editedText: null, editedAnswer: null });
  });

  it("ignores versions of another project", async () => {
    const db = useTestDatabase();
    const mine = await insertChain(db);
    const theirs = await insertChain(db);
    expect(
      await reviewItems(db, { projectId: mine.projectId, versionIds: [theirs.ids[2]], decision: "accepted" }),
    ).toEqual({
      count: 0,
      batchId: null,
    });
    await reviewItems(db, { projectId: theirs.projectId, versionIds: [theirs.ids[2]], decision: "accepted" });
    await expect(undoLastReview(db, { projectId: mine.projectId, versionId: theirs.ids[2] })).rejects.toThrow(
      AppError,
    );
    const detail = await getReviewDetail(db, { projectId: theirs.projectId, versionId: theirs.ids[2] });
    expect(detail.version.reviewDecision).toBe("accepted");
  });
});

describe("bulkReview", () => {
  async function seedMany(db: PrismaClient) {
    const project = await createTestProject(db, "review bulk");
    const fixture = await insertReviewFixture(db, project.id, {
      metadata: [
        { useCase: "Email drafting", skills: ["tone"] },
        { useCase: "Math tutoring", skills: ["algebra"] },
      ],
      versions: Array.from({ length: 240 }, (_, index) => ({
        text: `Draft email ${index}`,
        gap: index % 2 === 0 ? 5 : 3.5,
        metadata: index % 3 === 0 ? 1 : 0,
        reviewDecision: index === 0 ? ("rejected" as const) : index === 2 ? ("accepted" as const) : null,
      })),
    });
    return fixture;
  }

  it("decides everything matching the filter (more than any page) in one batch, and undoes the batch", async () => {
    const db = useTestDatabase();
    const { projectId, versionIds } = await seedMany(db);
    const other = await seedMany(db);
    const filter = { gapMin: 4, useCase: "Email drafting" };
    const matching = await countMatching(db, { projectId, filter });
    expect(matching).toBe(80); // even indexes (gap 5) not divisible by 3

    const result = await bulkReview(db, { projectId, filter, decision: "accepted" });
    expect(result.count).toBe(matching - 1); // index 2 was already accepted
    expect(await countMatching(db, { projectId, filter: { ...filter, decision: "accepted" } })).toBe(80);
    expect(await db.review.count({ where: { batchId: result.batchId } })).toBe(79);
    expect(await countMatching(db, { projectId: other.projectId, filter: { decision: "accepted" } })).toBe(1);

    // A version reviewed again after the bulk keeps its later decision when the bulk is undone.
    const later = versionIds[4]!;
    await reviewItems(db, { projectId, versionIds: [later], decision: "rejected" });
    expect(await undoLastReview(db, { projectId, batchId: result.batchId })).toEqual({ count: 79 });
    expect(await countMatching(db, { projectId, filter: { decision: "accepted" } })).toBe(1);
    const laterDetail = await getReviewDetail(db, { projectId, versionId: later });
    expect(laterDetail.version.reviewDecision).toBe("rejected");
    expect(laterDetail.reviews).toHaveLength(1);
    const earlier = await listReviewItems(db, { projectId, filter: { decision: "rejected" }, pageSize: 10 });
    expect(earlier.rows.map((row) => row.id).sort((a, b) => a - b)).toEqual([versionIds[0], later]);
  });

  it("rejects over a full-text filter and returns zero for a filter that matches nothing", async () => {
    const db = useTestDatabase();
    const { projectId } = await seedMany(db);
    const result = await bulkReview(db, {
      projectId,
      filter: { search: "email", decision: "unreviewed" },
      decision: "rejected",
    });
    expect(result.count).toBe(238);
    expect(await countMatching(db, { projectId, filter: { decision: "rejected" } })).toBe(239);
    expect(
      (await bulkReview(db, { projectId, filter: { useCase: "Nothing" }, decision: "accepted" })).count,
    ).toBe(0);
    await expect(
      undoLastReview(db, { projectId, batchId: "00000000-0000-4000-8000-000000000000" }),
    ).rejects.toThrow(AppError);
  });

  it("leaves decisions made by hand to a bulk decision unless told to override them, and undo restores that", async () => {
    const db = useTestDatabase();
    const { projectId, versionIds } = await seedMany(db);
    const filter = { gapMin: 4, useCase: "Email drafting" }; // 80 records, index 2 already accepted (not by hand)
    const byHand = [versionIds[4]!, versionIds[8]!];
    await reviewItems(db, { projectId, versionIds: [byHand[0]!], decision: "rejected" });
    await reviewItems(db, { projectId, versionIds: [byHand[1]!], decision: "rejected" });
    expect(await countHandDecisions(db, { projectId, filter, decision: "accepted" })).toBe(2);

    const first = await bulkReview(db, { projectId, filter, decision: "accepted" });
    expect(first.count).toBe(77);
    expect(first.keptHandDecisions).toBe(2);
    for (const id of byHand) {
      expect((await getReviewDetail(db, { projectId, versionId: id })).version.reviewDecision).toBe(
        "rejected",
      );
    }
    // A later bulk may change what an earlier bulk decided, still not the hand decisions.
    const second = await bulkReview(db, { projectId, filter, decision: "rejected" });
    expect(second.count).toBe(78);
    expect(await countHandDecisions(db, { projectId, filter, decision: "accepted" })).toBe(2);

    const overriding = await bulkReview(db, {
      projectId,
      filter,
      decision: "accepted",
      overrideHandDecisions: true,
    });
    expect(overriding.count).toBe(80);
    expect(overriding.keptHandDecisions).toBe(0);
    expect((await getReviewDetail(db, { projectId, versionId: byHand[0]! })).version.reviewDecision).toBe(
      "accepted",
    );
    await undoLastReview(db, { projectId, batchId: overriding.batchId });
    expect((await getReviewDetail(db, { projectId, versionId: byHand[0]! })).version.reviewDecision).toBe(
      "rejected",
    );
    // Back to a hand decision: the next bulk leaves it again.
    expect(await countHandDecisions(db, { projectId, filter, decision: "accepted" })).toBe(2);
  });

  it("gives a multi-version review one batch id that undo takes back together", async () => {
    const db = useTestDatabase();
    const { projectId, versionIds } = await seedMany(db);
    const result = await reviewItems(db, {
      projectId,
      versionIds: versionIds.slice(10, 13),
      decision: "accepted",
    });
    expect(result.count).toBe(3);
    expect(result.batchId).toEqual(expect.any(String));
    await undoLastReview(db, { projectId, batchId: result.batchId! });
    expect(await countMatching(db, { projectId, filter: { decision: "accepted" } })).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { countMatching, getReviewDetail, listReviewItems, type ReviewPage } from "@/lib/db/review";
import { insertReviewFixture, type FixtureVersion } from "@/lib/db/review-fixtures";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { ReviewFilter, ReviewSort, ReviewSortField } from "@/lib/schemas/review";
import { createTestProject, useTestDatabase } from "@/test/db";

const topics = [
  "recursion in Python",
  "baking sourdough bread",
  "planning a trip to Kyoto",
  "mortgage refinancing",
];

/** 90 versions: gaps from only five values (many ties), some unscored, every state, two use cases, two runs. */
function manyVersions(): FixtureVersion[] {
  const states = ["kept", "kept", "kept", "dropped", "improved", "pending", "failed"] as const;
  return Array.from({ length: 90 }, (_, index) => {
    const state = states[index % states.length]!;
    const scored = state !== "pending" && state !== "failed";
    return {
      text: `Explain ${topics[index % topics.length]} to reader number ${index}`,
      state,
      iteration: 1 + (index % 4),
      gap: scored ? [-1, 2, 3.5, 3.5, 5][index % 5]! : null,
      strongScore: scored ? 5 + (index % 3) : null,
      targetScore: scored ? 2 + (index % 4) : null,
      metadata: index % 3 === 0 ? 1 : 0,
      run: index % 2,
      createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, (index * 37) % 90)),
      reviewDecision: index % 11 === 0 ? "accepted" : index % 13 === 0 ? "rejected" : null,
    };
  });
}

async function seedProject(db: PrismaClient) {
  const project = await createTestProject(db, "review");
  const fixture = await insertReviewFixture(db, project.id, {
    metadata: [
      { useCase: "Coding help", skills: ["python", "debugging"] },
      { useCase: "Travel planning", skills: ["itineraries", "budgeting"] },
    ],
    runs: 2,
    versions: manyVersions(),
  });
  const rows = await db.instructionVersion.findMany({
    where: { projectId: project.id },
    select: {
      id: true,
      text: true,
      state: true,
      iteration: true,
      gap: true,
      strongScore: true,
      targetScore: true,
      createdAt: true,
      reviewDecision: true,
      runId: true,
      metadata: { select: { useCase: true, skills: true } },
    },
  });
  return { ...fixture, rows };
}
type Row = Awaited<ReturnType<typeof seedProject>>["rows"][number];

/** The expected order, computed independently of the SQL: NULL sort keys last, ties by id. */
function expectedOrder(rows: readonly Row[], sort: ReviewSort): number[] {
  const value = (row: Row): number | null => {
    const key = row[sort.field as keyof Row] as number | Date | null;
    return key instanceof Date ? key.getTime() : key;
  };
  const sign = sort.direction === "asc" ? 1 : -1;
  return [...rows]
    .sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === null && vb !== null) return 1;
      if (vb === null && va !== null) return -1;
      if (va !== null && vb !== null && va !== vb) return sign * (va - vb);
      return sign * (a.id - b.id);
    })
    .map((row) => row.id);
}

async function readAllByCursor(
  db: PrismaClient,
  projectId: number,
  filter: ReviewFilter,
  sort: ReviewSort,
  pageSize: number,
) {
  const pages: ReviewPage[] = [];
  let cursor: string | null = null;
  for (let page = 1; page < 100; page++) {
    const result: ReviewPage = await listReviewItems(db, { projectId, filter, sort, pageSize, page, cursor });
    pages.push(result);
    if (!result.hasNext) break;
    cursor = result.nextCursor;
  }
  return pages;
}

describe("listReviewItems", () => {
  it("shows final versions by default and filters on state, decision, gap, iteration, run, use case and skill", async () => {
    const db = useTestDatabase();
    const { projectId, rows, runIds } = await seedProject(db);
    const ids = async (filter: ReviewFilter) => {
      const page = await listReviewItems(db, { projectId, filter, pageSize: 200 });
      expect(await countMatching(db, { projectId, filter })).toBe(page.rows.length);
      return page.rows.map((row) => row.id).sort((a, b) => a - b);
    };
    const where = (predicate: (row: Row) => boolean) =>
      rows
        .filter(predicate)
        .map((row) => row.id)
        .sort((a, b) => a - b);

    expect(await ids({})).toEqual(where((row) => row.state !== "improved"));
    expect(await ids({ state: "all" })).toHaveLength(90);
    expect(await ids({ state: "improved" })).toEqual(where((row) => row.state === "improved"));
    expect(await ids({ state: "kept", decision: "accepted" })).toEqual(
      where((row) => row.state === "kept" && row.reviewDecision === "accepted"),
    );
    expect(await ids({ decision: "unreviewed" })).toEqual(
      where((row) => row.state !== "improved" && row.reviewDecision === null),
    );
    expect(await ids({ decision: "rejected", state: "all" })).toEqual(
      where((row) => row.reviewDecision === "rejected"),
    );
    expect(await ids({ gapMin: 2, gapMax: 3.5 })).toEqual(
      where((row) => row.state !== "improved" && row.gap !== null && row.gap >= 2 && row.gap <= 3.5),
    );
    expect(await ids({ gapMin: 4 })).toEqual(
      where((row) => row.state !== "improved" && (row.gap ?? -99) >= 4),
    );
    expect(await ids({ iteration: 3 })).toEqual(
      where((row) => row.state !== "improved" && row.iteration === 3),
    );
    expect(await ids({ runId: runIds[1]! })).toEqual(
      where((row) => row.state !== "improved" && row.runId === runIds[1]),
    );
    expect(await ids({ useCase: "Travel planning" })).toEqual(
      where((row) => row.state !== "improved" && row.metadata.useCase === "Travel planning"),
    );
    expect(await ids({ skill: "python", state: "all" })).toEqual(
      where((row) => row.metadata.skills.includes("python")),
    );
    expect(await ids({ skill: "python", useCase: "Travel planning" })).toEqual([]);
    expect(await ids({ useCase: "No such use case" })).toEqual([]);
  });

  it("searches the full text with stemming and web-search syntax, and treats LIKE wildcards as text", async () => {
    const db = useTestDatabase();
    const { projectId, rows } = await seedProject(db);
    const search = async (text: string) =>
      (
        await listReviewItems(db, { projectId, filter: { state: "all", search: text }, pageSize: 200 })
      ).rows.map((row) => row.id);
    const containing = (word: string) => rows.filter((row) => row.text.includes(word)).length;

    expect(await search("bread")).toHaveLength(containing("bread"));
    // "baking" matches "bake" by its stem; a quoted phrase must be adjacent; "-" excludes.
    expect(await search("bake")).toHaveLength(containing("baking"));
    expect(await search('"sourdough bread"')).toHaveLength(containing("sourdough bread"));
    expect(await search('"bread sourdough"')).toHaveLength(0);
    expect(await search("explain -kyoto")).toHaveLength(90 - containing("Kyoto"));
    expect(await search("python OR mortgage")).toHaveLength(containing("Python") + containing("mortgage"));
    expect(await search("%")).toHaveLength(0);
    expect(await search("reader_1")).toHaveLength(0);
    expect(await countMatching(db, { projectId, filter: { state: "all", search: "Kyoto" } })).toBe(
      containing("Kyoto"),
    );
  });

  const sorts: ReviewSortField[] = ["gap", "iteration", "createdAt", "strongScore", "targetScore"];
  it.each(sorts)(
    "sorts by %s both ways, unscored rows last, ties by id, across keyset pages",
    async (field) => {
      const db = useTestDatabase();
      const { projectId, rows } = await seedProject(db);
      for (const direction of ["asc", "desc"] as const) {
        const sort = { field, direction };
        const expected = expectedOrder(rows, sort);
        const pages = await readAllByCursor(db, projectId, { state: "all" }, sort, 7);
        expect(pages.flatMap((page) => page.rows.map((row) => row.id))).toEqual(expected);
        expect(pages).toHaveLength(Math.ceil(90 / 7));
        expect(pages.at(-1)!.hasNext).toBe(false);

        // Offsets give the same pages; so do offsets read from the end (totalHint) and cursors going back.
        for (const [index, page] of pages.entries()) {
          const byOffset = await listReviewItems(db, {
            projectId,
            filter: { state: "all" },
            sort,
            pageSize: 7,
            page: index + 1,
          });
          expect(byOffset.rows.map((row) => row.id)).toEqual(page.rows.map((row) => row.id));
          const fromEnd = await listReviewItems(db, {
            projectId,
            filter: { state: "all" },
            sort,
            pageSize: 7,
            page: index + 1,
            totalHint: 90,
          });
          expect(fromEnd.rows.map((row) => row.id)).toEqual(page.rows.map((row) => row.id));
          expect(fromEnd.hasNext).toBe(index < pages.length - 1);
          if (index > 0) {
            const back = await listReviewItems(db, {
              projectId,
              filter: { state: "all" },
              sort,
              pageSize: 7,
              cursor: page.prevCursor,
            });
            expect(back.rows.map((row) => row.id)).toEqual(pages[index - 1]!.rows.map((row) => row.id));
            expect(back.hasPrev).toBe(index > 1);
          }
        }
      }
    },
  );

  it("pages by cursor through a filter where every row has the same gap", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db, "review ties");
    await insertReviewFixture(db, project.id, {
      metadata: [{ useCase: "Ties", skills: ["x"] }],
      versions: Array.from({ length: 25 }, (_, index) => ({ text: `tie ${index}`, gap: 4 })),
    });
    const pages = await readAllByCursor(db, project.id, {}, { field: "gap", direction: "desc" }, 10);
    const seen = pages.flatMap((page) => page.rows.map((row) => row.id));
    expect(pages.map((page) => page.rows.length)).toEqual([10, 10, 5]);
    expect(new Set(seen).size).toBe(25);
    expect(seen).toEqual([...seen].sort((a, b) => b - a));
  });

  it("gives the same deep page of a full-text filter whether it walks the index or sorts the matches", async () => {
    const db = useTestDatabase();
    const project = await createTestProject(db, "review deep search");
    await insertReviewFixture(db, project.id, {
      metadata: [{ useCase: "Search", skills: ["x"] }],
      versions: Array.from({ length: 2_400 }, (_, index) => ({
        text: index % 8 === 7 ? `Unrelated task ${index}` : `Summarize chapter ${index}`,
        gap: [3.5, 4, 4.5][index % 3]!,
      })),
    });
    const filter = { search: "summarize" };
    const total = await countMatching(db, { projectId: project.id, filter });
    expect(total).toBe(2_100);
    const rows = await db.instructionVersion.findMany({
      where: { projectId: project.id, text: { startsWith: "Summarize" } },
      select: { id: true, gap: true },
    });
    const expected = rows.sort((a, b) => b.gap! - a.gap! || b.id - a.id).map((row) => row.id);
    // Page 21 of 42 with the count: an offset of 1,000 (sorted matches); without it: the index walk.
    for (const totalHint of [total, undefined]) {
      const page = await listReviewItems(db, {
        projectId: project.id,
        filter,
        pageSize: 50,
        page: 21,
        totalHint,
      });
      expect(page.rows.map((row) => row.id)).toEqual(expected.slice(1_000, 1_050));
    }
    const page11 = await listReviewItems(db, {
      projectId: project.id,
      filter,
      pageSize: 50,
      page: 11,
      totalHint: total,
    });
    expect(page11.rows.map((row) => row.id)).toEqual(expected.slice(500, 550));
  });

  it("jumps to a page inside the unscored rows by offset", async () => {
    const db = useTestDatabase();
    const { projectId, rows } = await seedProject(db);
    const sort: ReviewSort = { field: "gap", direction: "asc" };
    const expected = expectedOrder(rows, sort);
    const lastPage = await listReviewItems(db, {
      projectId,
      filter: { state: "all" },
      sort,
      pageSize: 10,
      page: 9,
    });
    expect(lastPage.rows.map((row) => row.id)).toEqual(expected.slice(80, 90));
    expect(lastPage.rows.every((row) => row.gap === null)).toBe(true);
    expect(lastPage.hasNext).toBe(false);
    const beyond = await listReviewItems(db, {
      projectId,
      filter: { state: "all" },
      sort,
      pageSize: 10,
      page: 12,
    });
    expect(beyond.rows).toEqual([]);
  });

  it("ignores a malformed cursor or one made for another sort, and returns the rows of the page instead", async () => {
    const db = useTestDatabase();
    const { projectId, rows } = await seedProject(db);
    const sort: ReviewSort = { field: "iteration", direction: "asc" };
    const first = await listReviewItems(db, { projectId, filter: { state: "all" }, sort, pageSize: 5 });
    const expected = expectedOrder(rows, sort);
    for (const cursor of ["garbage", "a.e30", first.nextCursor!.replace(/^a/, "x")]) {
      const page = await listReviewItems(db, {
        projectId,
        filter: { state: "all" },
        sort,
        pageSize: 5,
        page: 2,
        cursor,
      });
      expect(page.rows.map((row) => row.id)).toEqual(expected.slice(5, 10));
    }
    const otherSort = await listReviewItems(db, {
      projectId,
      filter: { state: "all" },
      sort: { field: "gap", direction: "desc" },
      pageSize: 5,
      cursor: first.nextCursor,
    });
    expect(otherSort.rows.map((row) => row.id)).toEqual(
      expectedOrder(rows, { field: "gap", direction: "desc" }).slice(0, 5),
    );
  });

  it("never shows or counts another project's versions", async () => {
    const db = useTestDatabase();
    const first = await seedProject(db);
    const second = await seedProject(db);
    const page = await listReviewItems(db, {
      projectId: first.projectId,
      filter: { state: "all" },
      pageSize: 200,
    });
    expect(page.rows.map((row) => row.id).sort((a, b) => a - b)).toEqual(
      first.versionIds.slice().sort((a, b) => a - b),
    );
    expect(await countMatching(db, { projectId: second.projectId, filter: { state: "all" } })).toBe(90);
    // A run or use case of the other project matches nothing here.
    expect(
      await countMatching(db, { projectId: first.projectId, filter: { runId: second.runIds[0]! } }),
    ).toBe(0);
    await expect(
      getReviewDetail(db, { projectId: first.projectId, versionId: second.versionIds[0]! }),
    ).rejects.toThrow(AppError);
  });

  it("returns list rows with excerpt, use case, skills and scores", async () => {
    const db = useTestDatabase();
    const { projectId } = await seedProject(db);
    const page = await listReviewItems(db, { projectId, filter: { state: "kept" }, pageSize: 1 });
    expect(page.rows[0]).toMatchObject({
      excerpt: expect.stringContaining("Explain"),
      edited: false,
      state: "kept",
      gap: 5,
      useCase: expect.any(String),
      skills: expect.arrayContaining([expect.any(String)]),
      createdAt: expect.stringMatching(/^2026-01-01T/),
    });
  });
});

// Review list at scale: 1,000,000 generated instruction versions in a throwaway project, then the queries the review
// page makes (filters, sorts, page 1, deep pages by number and by cursor, counts, the detail, a bulk decision),
// each timed as the median of several runs of the lib/db function (= the server time of its route, minus JSON).
// Goal: every filter + page under 150 ms.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import {
  countMatching,
  getReviewDetail,
  getReviewFacets,
  listReviewItems,
  type ListReviewItemsInput,
} from "@/lib/db/review";
import { bulkReview, undoLastReview } from "@/lib/db/review-decisions";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { ReviewFilter } from "@/lib/schemas/review";
import { generateReviewData, skills, useCases } from "./review-data";
import type { Benchmark, BenchmarkRow } from "./types";

const rowCount = 1_000_000;
const pageSize = 50;
const runsPerQuery = 7;
const goalMs = 150;

async function medianMs(body: () => Promise<unknown>): Promise<number> {
  await body(); // warm-up: plan caches, buffers
  const times: number[] = [];
  for (let run = 0; run < runsPerQuery; run++) {
    const started = performance.now();
    await body();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

function timedRow(metric: string, ms: number, goal = goalMs): BenchmarkRow {
  return { metric, value: `${ms.toFixed(1)} ms`, goal: `< ${goal} ms`, met: ms < goal };
}

export const reviewQueriesBenchmark: Benchmark = {
  name: "review-queries",
  description: `review list filters, sorts and deep pages over ${rowCount.toLocaleString("en-US")} instruction versions`,
  run: async ({ databaseUrl }) => {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    const db = new PrismaClient({ adapter: new PrismaPg(pool) });
    const results: BenchmarkRow[] = [];
    let projectId: number | undefined;
    try {
      const data = await generateReviewData(pool, rowCount);
      projectId = data.projectId;
      results.push({ metric: "generated versions", value: data.rows.toLocaleString("en-US") });
      results.push({
        metric: "generation (insert + VACUUM ANALYZE)",
        value: `${data.seconds.toFixed(1)} s`,
        goal: "< 120 s",
        met: data.seconds < 120,
      });
      const project = data.projectId;
      const total = await countMatching(db, { projectId: project, filter: { state: "all" } });
      const list =
        (filter: ReviewFilter, extra: Partial<ListReviewItemsInput> = {}) =>
        async () => {
          const page = await listReviewItems(db, { projectId: project, filter, pageSize, ...extra });
          if (page.rows.length === 0) throw new Error(`No rows for ${JSON.stringify({ filter, ...extra })}`);
          return page;
        };

      const pageOne: Array<[string, ReviewFilter, Partial<ListReviewItemsInput>?]> = [
        ["page 1 · final versions, gap desc", {}],
        ["page 1 · state kept", { state: "kept" }],
        ["page 1 · state pending", { state: "pending" }],
        ["page 1 · decision unreviewed", { decision: "unreviewed" }],
        ["page 1 · decision accepted", { decision: "accepted" }],
        ["page 1 · gap 4–6", { gapMin: 4, gapMax: 6 }],
        ["page 1 · iteration 3", { iteration: 3 }],
        ["page 1 · use case (largest)", { useCase: useCases[0] }],
        ["page 1 · use case (rare)", { useCase: useCases[39] }],
        ["page 1 · skill", { skill: skills[7] }],
        ["page 1 · run", { runId: data.runIds[2] }],
        ["page 1 · full text, rare word", { search: "sourdough" }],
        ["page 1 · full text, common word", { search: "write" }],
        ["page 1 · full text, phrase", { search: '"sourdough about item 17"' }],
        [
          "page 1 · kept + unreviewed + gap ≥ 5 + use case + text",
          { state: "kept", decision: "unreviewed", gapMin: 5, useCase: useCases[1], search: "guide" },
        ],
        ["page 1 · sorted by iteration asc", {}, { sort: { field: "iteration", direction: "asc" } }],
        ["page 1 · sorted by target score asc", {}, { sort: { field: "targetScore", direction: "asc" } }],
      ];
      for (const [metric, filter, extra] of pageOne)
        results.push(timedRow(metric, await medianMs(list(filter, extra))));

      // Jumps by page number, as the page makes them: with the filter's count, so a page past the middle is read
      // from the other end (the deepest offset is half the matches).
      const jump = async (
        metric: string,
        filter: ReviewFilter,
        page: number,
        sort?: ListReviewItemsInput["sort"],
      ) => {
        const count = await countMatching(db, { projectId: project, filter });
        const pages = Math.ceil(count / pageSize).toLocaleString("en-US");
        const extra = { page, totalHint: count, ...(sort ? { sort } : {}) };
        results.push(
          timedRow(
            `page ${page.toLocaleString("en-US")} of ${pages} · ${metric}`,
            await medianMs(list(filter, extra)),
          ),
        );
      };
      await jump("final versions, gap desc", {}, 5_000);
      await jump(
        "all versions, created asc (the deepest jump: the middle page)",
        { state: "all" },
        Math.ceil(total / pageSize / 2),
        { field: "createdAt", direction: "asc" },
      );
      await jump("all versions, gap desc (last page)", { state: "all" }, Math.ceil(total / pageSize));
      await jump("use case (largest), strong score desc", { useCase: useCases[0] }, 1_000, {
        field: "strongScore",
        direction: "desc",
      });
      await jump("skill, iteration asc", { skill: skills[7] }, 200, { field: "iteration", direction: "asc" });
      await jump("full text, common word", { search: "write" }, 200);
      // A shared link to a deep page opens before the count is known: a plain offset.
      results.push(
        timedRow(
          "page 5,000 · final versions, opened from a link (offset, no count)",
          await medianMs(list({}, { page: 5_000 })),
        ),
      );

      // Cursor pages deep in the list (the pager's next / previous): the neighbours of a deep page.
      const cursorPages: Array<[string, ReviewFilter, number]> = [
        ["all versions, around page 15,000", { state: "all" }, 15_000],
        ["full text common word, around page 200", { search: "write" }, 200],
        ["use case (largest), around page 1,000", { useCase: useCases[0] }, 1_000],
      ];
      for (const [metric, filter, page] of cursorPages) {
        const deep = await listReviewItems(db, { projectId: project, filter, pageSize, page });
        results.push(
          timedRow(
            `next page by cursor · ${metric}`,
            await medianMs(list(filter, { cursor: deep.nextCursor })),
          ),
        );
        results.push(
          timedRow(
            `previous page by cursor · ${metric}`,
            await medianMs(list(filter, { cursor: deep.prevCursor })),
          ),
        );
      }

      const counts: Array<[string, ReviewFilter]> = [
        ["count · final versions", {}],
        ["count · all versions", { state: "all" }],
        ["count · decision unreviewed", { decision: "unreviewed" }],
        ["count · use case (largest)", { useCase: useCases[0] }],
        ["count · skill", { skill: skills[7] }],
        ["count · gap 4–6 + iteration 1", { gapMin: 4, gapMax: 6, iteration: 1 }],
        ["count · full text, common word", { search: "write" }],
      ];
      for (const [metric, filter] of counts) {
        results.push(
          timedRow(metric, await medianMs(() => countMatching(db, { projectId: project, filter }))),
        );
      }
      results.push(
        timedRow(
          "filter bar choices (use cases, skills, runs)",
          await medianMs(() => getReviewFacets(db, project)),
        ),
      );
      const versionId = data.firstVersionId + 2;
      results.push(
        timedRow(
          "detail of one version",
          await medianMs(() => getReviewDetail(db, { projectId: project, versionId })),
        ),
      );

      // One bulk decision over a whole filter and its undo (set-based; no goal, reported for scale).
      const bulkFilter: ReviewFilter = { useCase: useCases[5], decision: "unreviewed" };
      let started = performance.now();
      const bulk = await bulkReview(db, { projectId: project, filter: bulkFilter, decision: "accepted" });
      results.push({
        metric: `bulk accept of ${bulk.count.toLocaleString("en-US")} matching versions`,
        value: `${((performance.now() - started) / 1000).toFixed(2)} s`,
      });
      started = performance.now();
      await undoLastReview(db, { projectId: project, batchId: bulk.batchId });
      results.push({
        metric: "undo of that bulk accept",
        value: `${((performance.now() - started) / 1000).toFixed(2)} s`,
      });
      return results;
    } finally {
      if (projectId !== undefined) await pool.query('DELETE FROM "Project" WHERE id = $1', [projectId]);
      await db.$disconnect();
      await pool.end().catch(() => undefined);
    }
  },
};

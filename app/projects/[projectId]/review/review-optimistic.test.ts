import { describe, expect, it } from "vitest";
import type { ReviewDetail, ReviewListRow } from "@/lib/db/review";
import {
  applyChangeToDetail,
  applyChangeToRow,
  applyUndoToDetail,
  mapPageRows,
  rowFromDetail,
} from "./review-optimistic";

const now = new Date("2026-12-01T07:00:00.000Z");
const detail: ReviewDetail = {
  version: {
    id: 7,
    iteration: 2,
    text: "Explain how sourdough rises.",
    editedText: null,
    actionApplied: "Add constraints",
    state: "kept",
    strongScore: 9,
    targetScore: 5,
    gap: 4,
    runId: 1,
    keptAnswer: "target",
    dropReason: null,
    reviewDecision: null,
    editedAnswer: null,
    createdAt: "2026-01-01T00:00:00.000Z",
  },
  chain: [
    {
      id: 7,
      iteration: 2,
      text: "Explain how sourdough rises.",
      editedText: null,
      actionApplied: "Add constraints",
      state: "kept",
      strongScore: 9,
      targetScore: 5,
      gap: 4,
    },
  ],
  nextVersionId: null,
  answers: {
    strong: { model: "big", text: "Strong answer" },
    target: { model: "small", text: "Target answer" },
  },
  judgement: null,
  metadata: { id: 1, useCase: "baking", skills: ["chemistry"], origin: "seed" },
  rubricSet: null,
  reviews: [],
  note: null,
  duplicateOf: null,
  contamination: null,
};
const row: ReviewListRow = {
  id: 7,
  excerpt: "Explain how sourdough rises.",
  edited: false,
  answerEdited: false,
  iteration: 2,
  strongScore: 9,
  targetScore: 5,
  gap: 4,
  state: "kept",
  reviewDecision: null,
  keptAnswer: "target",
  runId: 1,
  useCase: "baking",
  skills: ["chemistry"],
  createdAt: "2026-01-01T00:00:00.000Z",
};

describe("optimistic review state", () => {
  it("shows a decision in the detail, its history and the list row at once", () => {
    const accepted = applyChangeToDetail(detail, { versionId: 7, decision: "accepted" }, now);
    expect(accepted.version.reviewDecision).toBe("accepted");
    expect(accepted.reviews[0]).toMatchObject({ decision: "accepted", createdAt: now.toISOString() });
    expect(accepted.reviews[0]!.id).toBeLessThan(0); // not saved yet
    expect(rowFromDetail(row, accepted).reviewDecision).toBe("accepted");
    expect(applyChangeToRow(row, { versionId: 7, decision: "rejected" }).reviewDecision).toBe("rejected");
  });

  it("an edit replaces the text everywhere; the same text as generated is no edit (as the server stores it)", () => {
    const edited = applyChangeToDetail(detail, { versionId: 7, editedText: "Explain yeast." }, now);
    expect(edited.version.editedText).toBe("Explain yeast.");
    expect(edited.chain[0]!.editedText).toBe("Explain yeast.");
    expect(rowFromDetail(row, edited)).toMatchObject({ edited: true, excerpt: "Explain yeast." });
    const same = applyChangeToDetail(detail, { versionId: 7, editedText: detail.version.text }, now);
    expect(same.version.editedText).toBeNull();
    const answer = applyChangeToDetail(detail, { versionId: 7, editedAnswer: "Target answer" }, now);
    expect(answer.version.editedAnswer).toBeNull(); // equal to the kept (target) answer
  });

  it("undo restores the state of the review before the last one, text and note included", () => {
    const edited = applyChangeToDetail(
      detail,
      { versionId: 7, editedText: "Explain yeast.", note: "clearer" },
      now,
    );
    const accepted = applyChangeToDetail(edited, { versionId: 7, decision: "accepted" }, now);
    const undoneOnce = applyUndoToDetail(accepted);
    expect(undoneOnce.version).toMatchObject({ reviewDecision: null, editedText: "Explain yeast." });
    expect(undoneOnce.note).toBe("clearer");
    const undoneTwice = applyUndoToDetail(undoneOnce);
    expect(undoneTwice.version).toMatchObject({ reviewDecision: null, editedText: null, editedAnswer: null });
    expect(undoneTwice.chain[0]!.editedText).toBeNull();
    expect(undoneTwice.note).toBeNull();
    expect(undoneTwice.reviews).toHaveLength(0);
    expect(rowFromDetail({ ...row, edited: true, excerpt: "Explain yeast." }, undoneTwice)).toMatchObject({
      edited: false,
      excerpt: "Explain how sourdough rises.",
    });
  });

  it("touches only the page that holds the row", () => {
    const page = {
      rows: [row],
      page: 1,
      pageSize: 50,
      hasNext: false,
      hasPrev: false,
      nextCursor: null,
      prevCursor: null,
    };
    expect(mapPageRows(page, 8, () => ({ ...row, reviewDecision: "accepted" }))).toBe(page);
    expect(
      mapPageRows(page, 7, (current) => ({ ...current, reviewDecision: "accepted" }))?.rows[0]
        ?.reviewDecision,
    ).toBe("accepted");
  });
});

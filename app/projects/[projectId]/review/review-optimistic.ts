// What the review screen shows the instant a reviewer acts, before the server answers: the same state the server
// will store (lib/db/review-decisions.ts), applied to the cached list rows and detail. Pure, so it is tested alone.
import type { ReviewDetail, ReviewListRow, ReviewPage } from "@/lib/db/review";

export interface ReviewChange {
  versionId: number;
  decision?: "accepted" | "rejected" | null;
  editedText?: string | null;
  editedAnswer?: string | null;
  note?: string;
}

/** The fields a review sets on a version (a Review row holds the resulting state). */
interface ReviewState {
  reviewDecision: ReviewDetail["version"]["reviewDecision"];
  editedText: string | null;
  editedAnswer: string | null;
}

const excerptLength = 280;

function keptAnswerText(detail: ReviewDetail): string | null {
  const kept = detail.version.keptAnswer;
  return kept ? (detail.answers[kept]?.text ?? null) : null;
}

/** The version's state after the change, as the server computes it (an edit equal to the original is no edit). */
function changedState(detail: ReviewDetail, change: ReviewChange): ReviewState {
  const { version } = detail;
  return {
    reviewDecision: change.decision !== undefined ? change.decision : version.reviewDecision,
    editedText:
      change.editedText !== undefined
        ? change.editedText === version.text
          ? null
          : change.editedText
        : version.editedText,
    editedAnswer:
      change.editedAnswer !== undefined
        ? change.editedAnswer === keptAnswerText(detail)
          ? null
          : change.editedAnswer
        : version.editedAnswer,
  };
}

function withState(detail: ReviewDetail, state: ReviewState): ReviewDetail {
  return {
    ...detail,
    version: { ...detail.version, ...state },
    chain: detail.chain.map((step) =>
      step.id === detail.version.id ? { ...step, editedText: state.editedText } : step,
    ),
  };
}

/** The detail after a change: new state, and a history entry marked as not yet saved (negative id). */
export function applyChangeToDetail(detail: ReviewDetail, change: ReviewChange, now: Date): ReviewDetail {
  const state = changedState(detail, change);
  const entry: ReviewDetail["reviews"][number] = {
    id: -now.getTime(),
    decision: state.reviewDecision,
    editedText: state.editedText,
    editedAnswer: state.editedAnswer,
    note: change.note ?? null,
    reviewer: "you (saving…)",
    batchId: null,
    createdAt: now.toISOString(),
  };
  return {
    ...withState(detail, state),
    reviews: [entry, ...detail.reviews],
    note: change.note !== undefined ? change.note : detail.note,
  };
}

/** The detail after undoing its latest review: the state of the review before it, or none at all. */
export function applyUndoToDetail(detail: ReviewDetail): ReviewDetail {
  const remaining = detail.reviews.slice(1);
  const previous = remaining[0];
  return {
    ...withState(detail, {
      reviewDecision: previous?.decision ?? null,
      editedText: previous?.editedText ?? null,
      editedAnswer: previous?.editedAnswer ?? null,
    }),
    reviews: remaining,
    note: remaining.find((review) => review.note !== null)?.note ?? null,
  };
}

/** A list row showing the detail's state (decision, edit flags and the excerpt of the text in force). */
export function rowFromDetail(row: ReviewListRow, detail: ReviewDetail): ReviewListRow {
  const { version } = detail;
  return {
    ...row,
    reviewDecision: version.reviewDecision,
    edited: version.editedText !== null,
    answerEdited: version.editedAnswer !== null,
    excerpt: (version.editedText ?? version.text).slice(0, excerptLength),
  };
}

/** A list row after a change when the detail is not loaded (only a decision can be shown then). */
export function applyChangeToRow(row: ReviewListRow, change: ReviewChange): ReviewListRow {
  return change.decision !== undefined ? { ...row, reviewDecision: change.decision } : row;
}

export function mapPageRows(
  page: ReviewPage | undefined,
  versionId: number,
  update: (row: ReviewListRow) => ReviewListRow,
): ReviewPage | undefined {
  if (!page || !page.rows.some((row) => row.id === versionId)) return page;
  return { ...page, rows: page.rows.map((row) => (row.id === versionId ? update(row) : row)) };
}

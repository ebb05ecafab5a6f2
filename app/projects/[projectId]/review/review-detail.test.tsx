import { createRef } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import type { ReviewDetail } from "@/lib/db/review";
import { ReviewDetailPane, type DetailHandlers } from "./review-detail";
import { Markdown } from "./review-markdown";

const handlers: DetailHandlers = {
  onDecide: vi.fn(),
  onEdit: vi.fn(),
  onCancelEdit: vi.fn(),
  onSaveInstruction: vi.fn(),
  onSaveAnswer: vi.fn(),
  onSaveNote: vi.fn(),
  onUndo: vi.fn(),
};

const step = { strongScore: 8, targetScore: 7, gap: 1, editedText: null, state: "improved" as const };
const detail: ReviewDetail = {
  version: {
    id: 3,
    iteration: 2,
    text: "Explain how sourdough bread rises.",
    editedText: null,
    actionApplied: "Add constraints",
    state: "kept",
    strongScore: 9,
    targetScore: 4.5,
    gap: 4.5,
    runId: 1,
    keptAnswer: "strong",
    dropReason: null,
    reviewDecision: "accepted",
    editedAnswer: null,
    createdAt: "2026-01-01T00:00:00.000Z",
  },
  chain: [
    { ...step, id: 1, iteration: 1, text: "Explain how bread rises.", actionApplied: null },
    {
      ...step,
      id: 3,
      iteration: 2,
      text: "Explain how sourdough bread rises.",
      actionApplied: "Add constraints",
      state: "kept",
      gap: 4.5,
    },
  ],
  nextVersionId: null,
  answers: {
    strong: { model: "big-model", text: "**Yeast** ferments.\n\n| a | b |\n|---|---|\n| 1 | 2 |" },
    target: { model: "small-model", text: "Air <script>alert(1)</script> [click](javascript:alert(1))" },
  },
  judgement: {
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
    rawOrderA: '{"assistant_1_score": 9, "assistant_2_score": 5}',
    rawOrderB: '{"assistant_1_score": 4, "assistant_2_score": 9}',
    orderInconsistent: false,
  },
  duplicateOf: null,
  contamination: null,
  metadata: { id: 1, useCase: "Cooking", skills: ["baking", "chemistry"], origin: "mixed" },
  rubricSet: { rubrics: ["Checks the science"], actions: ["Add constraints"] },
  reviews: [],
  note: null,
};

function render(overrides: Partial<Parameters<typeof ReviewDetailPane>[0]> = {}) {
  return renderToStaticMarkup(
    <ReviewDetailPane
      detail={detail}
      editing={null}
      pending={false}
      actionError={undefined}
      canUndo={false}
      noteRef={createRef()}
      handlers={handlers}
      {...overrides}
    />,
  );
}

describe("ReviewDetailPane", () => {
  it("shows the evolution with the action and a word diff, both answers, both judge orders and the metadata", () => {
    const html = render();
    expect(html).toContain("Iteration 1");
    expect(html).toContain("basic instruction");
    expect(html).toContain("Add constraints");
    expect(html).toMatch(/<ins[^>]*>sourdough <\/ins>|<ins[^>]*>sourdough<\/ins>/);
    expect(html).toContain("<strong>Yeast</strong>");
    expect(html).toContain("<table>");
    expect(html).toContain("Order A (strong shown first)");
    expect(html).toContain("Order B (target shown first)");
    expect(html).toContain("θ");
    expect(html).toContain("Cooking");
    expect(html).toContain("chemistry");
    expect(html).toContain("Checks the science");
    expect(html).toContain('aria-pressed="true"');
  });

  it("shows the judge's raw answers and flags a verdict whose two orders disagree", () => {
    const consistent = render();
    expect(consistent).toContain("Raw judge output");
    expect(consistent).toContain("{&quot;assistant_1_score&quot;: 4, &quot;assistant_2_score&quot;: 9}");
    expect(consistent).not.toContain("orders disagree");
    const flagged = render({
      detail: { ...detail, judgement: { ...detail.judgement!, orderInconsistent: true } },
    });
    expect(flagged).toContain("The two orders disagree");
  });

  it("names the twin of a dropped near-duplicate and the test item of a contaminated instruction", () => {
    const dropped = { ...detail.version, state: "dropped" as const, keptAnswer: null };
    const duplicate = render({
      detail: {
        ...detail,
        version: dropped,
        judgement: null,
        duplicateOf: { id: 41, text: "Explain how bread rises quickly.", score: 0.83 },
      },
    });
    expect(duplicate).toContain("Near-duplicate of #41");
    expect(duplicate).toContain("Explain how bread rises quickly.");
    expect(duplicate).toContain("0.83");
    const contaminated = render({
      detail: {
        ...detail,
        version: dropped,
        judgement: null,
        contamination: {
          setName: "vicuna-80",
          itemId: "7",
          itemText: "How can I bake bread?",
          kind: "ngram",
          ngram: "a b c d e f g h i j k l m",
          score: 0.5,
        },
      },
    });
    expect(contaminated).toContain("vicuna-80");
    expect(contaminated).toContain("item 7");
    expect(contaminated).toContain("How can I bake bread?");
  });

  it("opens the instruction editor with the current text", () => {
    const html = render({ editing: "instruction" });
    expect(html).toContain("<textarea");
    expect(html).toContain("Explain how sourdough bread rises.</textarea>");
    expect(html).toContain("Save edit");
  });

  it("shows the reviewer's edit of the instruction and of the kept answer instead of the generated text", () => {
    const html = render({
      detail: {
        ...detail,
        version: {
          ...detail.version,
          editedText: "Explain rye sourdough.",
          editedAnswer: "Edited **answer**",
        },
      },
    });
    expect(html).toContain("Explain rye sourdough.");
    expect(html).toContain("Edited by a reviewer");
    expect(html).toContain("Edited <strong>answer</strong>");
  });
});

describe("Markdown", () => {
  it("renders model output without raw HTML or script links", () => {
    const html = renderToStaticMarkup(
      <Markdown
        text={
          "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) [ok](https://example.com)"
        }
      />,
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).not.toContain("javascript:");
    expect(html).toContain('href="https://example.com"');
  });
});

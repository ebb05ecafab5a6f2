// Self-Rubrics, part 1 (paper §4.2, Fig. 9): once per metadata entry, the strong LLM acting as a domain-expert
// judge writes rubrics for how hard an instruction of this kind is, then actions that make one harder.
import { z } from "zod";
import { assertIntegerAtLeast } from "./checks";
import { formatSkills, type Metadata } from "./metadata";
import { taskContextLines, type PromptSpec } from "./prompt-types";
import { cleanShortItem, distinctBy } from "./text";

export const RUBRICS_PROMPT_NAME = "rubrics";
export const RUBRICS_PROMPT_VERSION = "rubrics@1";
export const DEFAULT_RUBRIC_COUNT = 4;
export const DEFAULT_ACTION_COUNT = 4;

type RubricCounts = { rubricCount: number; actionCount: number };

/** Too few items fail validation (the gateway retries); extras are truncated by validateRubrics. */
export function rubricsOutputSchema(counts: RubricCounts) {
  return z.object({
    rubrics: z.array(z.string()).min(counts.rubricCount),
    actions: z.array(z.string()).min(counts.actionCount),
  });
}
export type RubricsOutput = { rubrics: string[]; actions: string[] };

export function buildRubricsPrompt(
  metadata: Metadata,
  options: Partial<RubricCounts> & { taskDescription?: string } = {},
): PromptSpec<RubricsOutput> {
  const counts = {
    rubricCount: options.rubricCount ?? DEFAULT_RUBRIC_COUNT,
    actionCount: options.actionCount ?? DEFAULT_ACTION_COUNT,
  };
  assertIntegerAtLeast("rubricCount", counts.rubricCount, 1);
  assertIntegerAtLeast("actionCount", counts.actionCount, 1);
  const system = [
    "I want you to act as an instruction judge with domain expertise.",
    `Your job is to generate ${counts.rubricCount} domain-specific rubrics to assess the difficulty and ` +
      "complexity of an instruction, based on the use case of the instruction and the skills required to " +
      "respond to it. The generated rubrics should be clear, concise and unambiguous.",
    `Based on the generated rubrics, generate ${counts.actionCount} corresponding actions to improve an ` +
      "instruction by making it more challenging. Each action must be something a rewrite of the instruction " +
      "text can do; it must not need external data, files or physical activity.",
    ...taskContextLines(options.taskDescription),
    "",
    "Generate the rubrics and the actions without any explanation.",
    'Answer with a JSON object: {"rubrics": ["<rubric>", ...], "actions": ["<action>", ...]}.',
  ].join("\n");
  const user = [
    `The use case of the instruction: ${metadata.useCase}.`,
    `The skills required to solve the instruction: ${formatSkills(metadata.skills)}.`,
  ].join("\n");
  return {
    name: RUBRICS_PROMPT_NAME,
    version: RUBRICS_PROMPT_VERSION,
    messages: [
      { role: "system", content: system },
      { role: "user", content: user },
    ],
    schema: rubricsOutputSchema(counts),
  };
}

export type RubricsValidation =
  | { ok: true; rubrics: string[]; actions: string[] }
  | { ok: false; reason: string; rubrics: string[]; actions: string[] };

/**
 * Cleans items (list markers, "Rubric:"/"Action:" labels, blanks, case-insensitive duplicates), then keeps the
 * first rubricCount rubrics and actionCount actions. Fewer distinct items than asked is invalid.
 */
export function validateRubrics(raw: RubricsOutput, counts: RubricCounts): RubricsValidation {
  const clean = (items: string[], label: RegExp) =>
    distinctBy(
      items.map((item) => cleanShortItem(item, label)),
      (item) => item.toLowerCase(),
    );
  const rubrics = clean(raw.rubrics, /^rubric\s*\d*\s*:\s*/i).slice(0, counts.rubricCount);
  const actions = clean(raw.actions, /^action\s*\d*\s*:\s*/i).slice(0, counts.actionCount);
  const problems: string[] = [];
  if (rubrics.length < counts.rubricCount) {
    problems.push(`${rubrics.length} distinct rubrics, ${counts.rubricCount} needed`);
  }
  if (actions.length < counts.actionCount) {
    problems.push(`${actions.length} distinct actions, ${counts.actionCount} needed`);
  }
  if (problems.length > 0) return { ok: false, reason: problems.join("; "), rubrics, actions };
  return { ok: true, rubrics, actions };
}

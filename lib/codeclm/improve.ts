// Self-Rubrics, part 2 (paper §4.2, Fig. 10): rewrite an instruction to be more challenging by ONE action,
// sampled uniformly (with replacement) from its metadata entry's actions. Rewrites stack across iterations.
import { z } from "zod";
import type { PromptSpec } from "./prompt-types";
import type { Rng } from "./random";
import { stripListMarker, textKey } from "./text";

export const IMPROVE_PROMPT_NAME = "improve";
export const IMPROVE_PROMPT_VERSION = "improve@1";

export const improveOutputSchema = z.object({ improved_instruction: z.string() });
export type ImproveOutput = z.infer<typeof improveOutputSchema>;

export function buildImprovePrompt(options: {
  instruction: string;
  action: string;
}): PromptSpec<ImproveOutput> {
  const system = [
    "I want you to act as an instruction improver with domain expertise.",
    "Your job is to make the given instruction more challenging following the given improving action item, " +
      "and the generated instruction should be reasonable and self-consistent.",
    "Keep all the information and material the input instruction contains that is still needed to respond.",
    "Do not directly copy words or phrases in the action.",
    "",
    'Answer with a JSON object: {"improved_instruction": "<the improved instruction>"}.',
  ].join("\n");
  const user = [
    `Improving action: ${options.action.trim()}`,
    "",
    "Input instruction:",
    options.instruction.trim(),
  ];
  return {
    name: IMPROVE_PROMPT_NAME,
    version: IMPROVE_PROMPT_VERSION,
    messages: [
      { role: "system", content: system },
      { role: "user", content: user.join("\n") },
    ],
    schema: improveOutputSchema,
  };
}

/** Uniform choice with replacement: the paper does not exclude actions used in earlier iterations. */
export function sampleAction(actions: readonly string[], rng: Rng): string {
  if (actions.length === 0) throw new RangeError("no actions to sample from");
  return rng.pick(actions);
}

/** The rewritten instruction, or null when it is empty or the same as the input (a failed rewrite). */
export function cleanImprovedInstruction(output: ImproveOutput, previous: string): string | null {
  const improved = stripListMarker(output.improved_instruction).replace(/^improved instruction\s*:\s*/i, "");
  if (!improved || textKey(improved) === textKey(previous)) return null;
  return improved;
}

// Plausibility check of mixed metadata. The paper checks mix-and-match pairs by hand and drops unreasonable
// use-case/skill combinations (App. A.3); here the strong LLM judges them in batches, and a human can override.
import { z } from "zod";
import { assertIntegerAtLeast } from "./checks";
import { formatSkills, type Metadata } from "./metadata";
import { taskContextLines, type PromptSpec } from "./prompt-types";

export const PLAUSIBILITY_PROMPT_NAME = "plausibility";
export const PLAUSIBILITY_PROMPT_VERSION = "plausibility@1";
export const DEFAULT_PLAUSIBILITY_BATCH_SIZE = 20;

export const plausibilityOutputSchema = z.object({
  verdicts: z.array(z.object({ index: z.number().int(), plausible: z.boolean(), reason: z.string() })).min(1),
});
export type PlausibilityOutput = z.infer<typeof plausibilityOutputSchema>;

export type PlausibilityVerdict = { plausible: boolean; reason: string };

/** Entries are numbered from 1 in the prompt; verdicts refer to those numbers. */
export function buildPlausibilityPrompt(
  entries: readonly Metadata[],
  options: { taskDescription?: string } = {},
): PromptSpec<PlausibilityOutput> {
  if (entries.length === 0) throw new RangeError("a plausibility batch needs at least one entry");
  const system = [
    "I want you to act as a reviewer of instruction metadata.",
    "Each numbered entry pairs a use case (the intended task of an instruction) with the skills a large " +
      "language model needs to respond to such an instruction. The entries were made by combining use cases " +
      "and skills at random, so some combinations may not make sense.",
    "For every entry, decide whether a realistic instruction could have this use case and require all of " +
      "these skills together. Be lenient: mark an entry as not plausible only when the combination is " +
      "contradictory or so unnatural that no reasonable instruction would fit it.",
    ...taskContextLines(options.taskDescription),
    "",
    'Answer with a JSON object: {"verdicts": [{"index": <entry number>, "plausible": true|false, ' +
      '"reason": "<one short sentence>"}, ...]} with exactly one verdict per entry.',
  ].join("\n");
  const list = entries
    .map((entry, i) => `${i + 1}. Use case: ${entry.useCase}; Skills: ${formatSkills(entry.skills)}`)
    .join("\n");
  return {
    name: PLAUSIBILITY_PROMPT_NAME,
    version: PLAUSIBILITY_PROMPT_VERSION,
    messages: [
      { role: "system", content: system },
      { role: "user", content: `Entries:\n${list}` },
    ],
    schema: plausibilityOutputSchema,
  };
}

/**
 * The verdict for each of `count` entries, by position; null where the model gave none (or only an
 * out-of-range index), so the caller can re-ask or leave the entry unchecked. The first verdict per index wins.
 */
export function matchVerdicts(count: number, output: PlausibilityOutput): Array<PlausibilityVerdict | null> {
  const verdicts: Array<PlausibilityVerdict | null> = Array.from({ length: count }, () => null);
  for (const verdict of output.verdicts) {
    const position = verdict.index - 1;
    if (position < 0 || position >= count || verdicts[position] !== null) continue;
    verdicts[position] = { plausible: verdict.plausible, reason: verdict.reason.trim() };
  }
  return verdicts;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  assertIntegerAtLeast("chunk size", size, 1);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

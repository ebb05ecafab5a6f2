// Decode (paper §4.1, Fig. 8): the strong LLM writes basic instructions that follow a metadata entry's use case
// and skills, with no demonstrations to copy and without answering them. Every entry gets the same number,
// derived from the target dataset size (§5.3).
import { z } from "zod";
import { assertIntegerAtLeast } from "./checks";
import { formatSkills, type Metadata } from "./metadata";
import { taskContextLines, type PromptSpec } from "./prompt-types";
import { distinctBy, stripListMarker, textKey } from "./text";

export const DECODE_PROMPT_NAME = "decode";
export const DECODE_PROMPT_VERSION = "decode@1";
/** Share of basic instructions assumed to end up in the dataset before any yield has been observed. */
export const DEFAULT_ASSUMED_YIELD = 0.5;
export const MIN_INSTRUCTIONS_PER_ENTRY = 1;
export const MAX_INSTRUCTIONS_PER_ENTRY = 50;
/** Longer lists per call get repetitive and risk truncation; larger counts are split into batches. */
export const DEFAULT_MAX_INSTRUCTIONS_PER_CALL = 10;

export const decodeOutputSchema = z.object({ instructions: z.array(z.string()).min(1) });
export type DecodeOutput = z.infer<typeof decodeOutputSchema>;

export type DecodeOptions = {
  count: number;
  taskDescription?: string;
  /** Instructions already written for this entry (earlier batches): asked not to be repeated. */
  previousInstructions?: readonly string[];
  /** Which of several calls for the same entry this is. Keeps the prompts (and cache keys) distinct. */
  batch?: { index: number; total: number };
};

export function buildDecodePrompt(metadata: Metadata, options: DecodeOptions): PromptSpec<DecodeOutput> {
  const { count } = options;
  assertIntegerAtLeast("count", count, 1);
  const noun = count === 1 ? "instruction" : "instructions";
  const system = [
    "I want you to act as an instruction writer.",
    `Your objective is to write ${count} ${noun} that must be reasonable and must be understood and ` +
      "responded to by humans.",
    `The generated ${noun} should be diverse enough while following the constraints given by the user: the ` +
      "use case of the instructions and the skills required to respond to them.",
    "Each instruction must be self-contained: if it needs material to work on (a text, code, data), include " +
      "that material in the instruction itself.",
    ...taskContextLines(options.taskDescription),
    "",
    `Generate the ${noun} without answering them and without titles or numbering.`,
    'Answer with a JSON object: {"instructions": ["<instruction>", ...]}.',
  ].join("\n");

  const user = [
    `Use case of the instructions: ${metadata.useCase}`,
    `Skills required to respond to the instructions: ${formatSkills(metadata.skills)}`,
  ];
  if (options.batch && options.batch.total > 1) {
    user.push(
      "",
      `This is set ${options.batch.index + 1} of ${options.batch.total} for these constraints; make this ` +
        "set differ from what the other sets are likely to contain.",
    );
  }
  const previous = options.previousInstructions?.filter((text) => text.trim()) ?? [];
  if (previous.length > 0) {
    user.push(
      "",
      "Already written (do not repeat or paraphrase these):",
      ...previous.map((text) => `- ${text}`),
    );
  }
  return {
    name: DECODE_PROMPT_NAME,
    version: DECODE_PROMPT_VERSION,
    messages: [
      { role: "system", content: system },
      { role: "user", content: user.join("\n") },
    ],
    schema: decodeOutputSchema,
  };
}

/**
 * Basic instructions to request per metadata entry: the same for every entry (paper §5.3), enough that after
 * Contrastive Filtering keeps a share `yield` of them the pool yields targetDatasetSize. Uses the observed
 * yield once there is one, else DEFAULT_ASSUMED_YIELD; clamped to [1, 50].
 */
export function basicInstructionsPerEntry(options: {
  targetDatasetSize: number;
  poolSize: number;
  observedYield?: number | null;
}): number {
  const { targetDatasetSize, poolSize, observedYield } = options;
  if (poolSize <= 0 || targetDatasetSize <= 0) return MIN_INSTRUCTIONS_PER_ENTRY;
  const usable = observedYield != null && Number.isFinite(observedYield) && observedYield > 0;
  const yieldShare = usable ? Math.min(observedYield, 1) : DEFAULT_ASSUMED_YIELD;
  const perEntry = Math.ceil(targetDatasetSize / poolSize / yieldShare);
  return Math.min(MAX_INSTRUCTIONS_PER_ENTRY, Math.max(MIN_INSTRUCTIONS_PER_ENTRY, perEntry));
}

/** Splits a per-entry count into calls of at most maxPerCall, as evenly as possible (e.g. 25, 10 → 9, 8, 8). */
export function splitIntoBatches(total: number, maxPerCall = DEFAULT_MAX_INSTRUCTIONS_PER_CALL): number[] {
  assertIntegerAtLeast("maxPerCall", maxPerCall, 1);
  if (total <= 0) return [];
  const calls = Math.ceil(total / maxPerCall);
  const base = Math.floor(total / calls);
  const remainder = total % calls;
  return Array.from({ length: calls }, (_, i) => base + (i < remainder ? 1 : 0));
}

/**
 * Trimmed instructions without list markers, blanks, or repeats (case, whitespace and trailing punctuation
 * ignored), also dropping any already in `existing` (e.g. earlier batches). Order preserved.
 */
export function dedupeInstructions(
  instructions: readonly string[],
  existing: readonly string[] = [],
): string[] {
  return distinctBy(instructions.map(stripListMarker), textKey, existing.map(textKey));
}

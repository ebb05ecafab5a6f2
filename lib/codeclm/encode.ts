// Encode (paper §4.1, Fig. 7): the strong LLM reads a seed instruction and names its use case and the skills
// needed to answer it. The only few-shot prompt of the method: three demonstrations, as in the paper, but with
// the "Use case" label used consistently (the paper mixes "Use case:" and "Task:").
import { z } from "zod";
import { assertIntegerAtLeast } from "./checks";
import { cleanLabel, distinctLabels, type Metadata } from "./metadata";
import { taskContextLines, type ChatMessage, type PromptSpec } from "./prompt-types";

export const ENCODE_PROMPT_NAME = "encode";
export const ENCODE_PROMPT_VERSION = "encode@1";
export const DEFAULT_MAX_SKILLS = 3;

export const encodeOutputSchema = z.object({
  use_case: z.string(),
  skills: z.array(z.string()).min(1),
});
export type EncodeOutput = z.infer<typeof encodeOutputSchema>;

export type SeedInstruction = { instruction: string; input?: string };

// The paper's demonstrations (App. A.9, Fig. 7).
const demonstrations: Array<{ instruction: string; useCase: string; skills: string[] }> = [
  {
    instruction:
      "As a sports commentator, describe the winning play in the final seconds of a championship game.",
    useCase: "creative writing",
    skills: ["role-play", "sports"],
  },
  {
    instruction: "How to read a large file (> 2T) using python?",
    useCase: "code generation",
    skills: ["python"],
  },
  {
    instruction:
      "The method section of your paper is too brief and does not explain how your proposed model works in " +
      "detail. How can you provide more details of the hierarchical encoder and the cascaded selectors, such as " +
      "their architectures, inputs, outputs, and parameters?",
    useCase: "general knowledge question answering",
    skills: ["academic writing", "machine learning"],
  },
];

function formatSeed(seed: SeedInstruction): string {
  const input = seed.input?.trim();
  const lines = ["Instruction:", seed.instruction.trim()];
  if (input) lines.push("", "Input:", input);
  return lines.join("\n");
}

export function buildEncodePrompt(
  seed: SeedInstruction,
  options: { maxSkills?: number; taskDescription?: string } = {},
): PromptSpec<EncodeOutput> {
  const maxSkills = options.maxSkills ?? DEFAULT_MAX_SKILLS;
  assertIntegerAtLeast("maxSkills", maxSkills, 1);
  const system = [
    "I want you to act as an instruction analyzer.",
    "Given an instruction, you should recognize its use case and the skills (or knowledge) required for a large " +
      "language model (LLM) to answer the question.",
    "Generate the use case and skills required without any explanation.",
    `List at most ${maxSkills} ${maxSkills === 1 ? "skill" : "skills"}, each skill must be transferable, so that ` +
      "LLM can leverage them to answer similar questions.",
    'Avoid using "skill", "knowledge" to describe a skill, and each skill must be concise (2-3 words).',
    "Follow the examples to analyze the given instruction.",
    ...taskContextLines(options.taskDescription),
    "",
    'Answer with a JSON object: {"use_case": "<use case>", "skills": ["<skill>", ...]}.',
  ].join("\n");

  const messages: ChatMessage[] = [{ role: "system", content: system }];
  for (const demo of demonstrations) {
    messages.push({ role: "user", content: formatSeed({ instruction: demo.instruction }) });
    messages.push({
      role: "assistant",
      content: JSON.stringify({ use_case: demo.useCase, skills: demo.skills.slice(0, maxSkills) }),
    });
  }
  messages.push({ role: "user", content: formatSeed(seed) });
  return { name: ENCODE_PROMPT_NAME, version: ENCODE_PROMPT_VERSION, messages, schema: encodeOutputSchema };
}

/**
 * Cleans the model's metadata: trimmed labels, skills deduplicated case-insensitively (first spelling kept),
 * empty ones dropped, capped to maxSkills. Null when no use case or no skill is left.
 */
export function normalizeMetadata(raw: EncodeOutput, options: { maxSkills?: number } = {}): Metadata | null {
  const maxSkills = options.maxSkills ?? DEFAULT_MAX_SKILLS;
  const useCase = cleanLabel(raw.use_case);
  const skills = distinctLabels(raw.skills).slice(0, maxSkills);
  if (!useCase || skills.length === 0) return null;
  return { useCase, skills };
}

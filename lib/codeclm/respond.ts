// Answer prompt, used alike for the strong model, the target model and the evaluation's reference model:
// the instruction as a plain user message, optionally after a system prompt. Plain-text answer, no schema.
import type { ChatMessage, PromptSpec } from "./prompt-types";

export const RESPOND_PROMPT_NAME = "respond";
export const RESPOND_PROMPT_VERSION = "respond@1";

/** An instruction with its optional input (Alpaca-style seeds and evaluation sets carry one). */
export function formatInstructionWithInput(instruction: string, input?: string): string {
  const extra = input?.trim();
  return extra ? `${instruction.trim()}\n\n${extra}` : instruction.trim();
}

export function buildRespondPrompt(options: {
  instruction: string;
  input?: string;
  systemPrompt?: string;
}): PromptSpec<string> {
  const messages: ChatMessage[] = [];
  const system = options.systemPrompt?.trim();
  if (system) messages.push({ role: "system", content: system });
  messages.push({ role: "user", content: formatInstructionWithInput(options.instruction, options.input) });
  return { name: RESPOND_PROMPT_NAME, version: RESPOND_PROMPT_VERSION, messages, schema: null };
}

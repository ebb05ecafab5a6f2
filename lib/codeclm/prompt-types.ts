// Shared shapes for the method's prompts. The LLM gateway sends `messages` and, when `schema` is set, asks for
// structured output validated with it; `name` + `version` go into the call log and the cache fingerprint.
import type { ZodType } from "zod";

export type ChatRole = "system" | "user" | "assistant";

export type ChatMessage = { role: ChatRole; content: string };

export type PromptSpec<T> = {
  /** Stable step name, e.g. "encode". */
  name: string;
  /** Bumped whenever the wording or schema changes, e.g. "encode@1", so cached answers are not reused. */
  version: string;
  messages: ChatMessage[];
  /** Output schema for structured (JSON) answers; null for plain-text answers. */
  schema: ZodType<T> | null;
};

/** Optional context shared by the generation prompts: the project's downstream task, in the user's words. */
export function taskContextLines(taskDescription: string | undefined): string[] {
  const task = taskDescription?.trim();
  if (!task) return [];
  return ["", `Context: the instructions serve this downstream task: ${task}`];
}

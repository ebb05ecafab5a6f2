// Which models are OpenAI reasoning models (o-series, the gpt-5 family), whatever server or proxy serves them:
// they take max_completion_tokens (reasoning counts against it) and only their default temperature.
// Names the family does not reveal (an Azure deployment called "prod") are handled by adapting to the 400.

/** The model's own name without a vendor prefix ("openai/o3-mini" on OpenRouter → "o3-mini"). */
function bareModelName(model: string): string {
  const name = model.trim().toLowerCase();
  return name.slice(name.lastIndexOf("/") + 1);
}

export function isReasoningModel(model: string): boolean {
  const name = bareModelName(model);
  if (/^o[1-9](-|$)/.test(name)) return true;
  // gpt-5, gpt-5-mini, gpt-5.1…; gpt-5-chat-latest is the non-reasoning chat model.
  return /^gpt-5(?![0-9])/.test(name) && !name.includes("-chat");
}

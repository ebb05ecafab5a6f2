// Adapting to what a server refuses instead of failing: a 400 that names a parameter (OpenAI's `param`, or the
// message of LiteLLM, vLLM and others) drops or renames it; a refused response_format falls back to a simplified
// schema, then to JSON asked for in the prompt. Each adaptation is remembered per server and model, and shown.
import type { ChatCompletionCreateParamsNonStreaming } from "openai/resources/chat/completions";
import type { ServerError } from "@/lib/llm/error-body";

export type TokenParam = "max_tokens" | "max_completion_tokens";
export type StructuredFallback = "simplified_schema" | "json_in_text";

export type Adaptation =
  | { kind: "drop"; param: string; serverMessage: string }
  | { kind: "rename"; from: TokenParam; to: TokenParam; serverMessage: string }
  | { kind: "structured"; mode: StructuredFallback; serverMessage: string };

/** In the order they were learned. */
export type EndpointAdaptations = readonly Adaptation[];
export const noAdaptations: EndpointAdaptations = [];

/** Parameters the gateway may send that a server may refuse; anything else (model, messages) is never dropped. */
const droppableParams = new Set([
  "temperature",
  "top_p",
  "seed",
  "reasoning_effort",
  "presence_penalty",
  "frequency_penalty",
  "logprobs",
  "top_logprobs",
  "logit_bias",
  "stop",
  "n",
]);
const tokenParams = new Set<string>(["max_tokens", "max_completion_tokens"]);

type Params = ChatCompletionCreateParamsNonStreaming;

export function structuredFallbackOf(adaptations: EndpointAdaptations): StructuredFallback | null {
  let mode: StructuredFallback | null = null;
  for (const adaptation of adaptations) if (adaptation.kind === "structured") mode = adaptation.mode;
  return mode;
}

/** The request with every learned drop and rename applied (structured fallbacks are applied by the caller). */
export function applyAdaptations(params: Params, adaptations: EndpointAdaptations): Params {
  if (adaptations.length === 0) return params;
  const result: Record<string, unknown> = { ...params };
  for (const adaptation of adaptations) {
    if (adaptation.kind === "rename" && result[adaptation.from] !== undefined) {
      result[adaptation.to] = result[adaptation.from];
      delete result[adaptation.from];
    } else if (adaptation.kind === "drop") {
      delete result[adaptation.param];
    }
  }
  return result as unknown as Params;
}

/** The parameter names a refusal mentions, most specific first. */
function namedParams(server: ServerError): string[] {
  const names: string[] = [];
  if (server.param) names.push(server.param);
  const message = server.message;
  const patterns = [
    /Unsupported (?:parameter|value): '([\w.]+)'/gi, // OpenAI, Azure
    /Unrecognized request arguments? supplied: ([\w., ]+)/gi, // older Azure / OpenAI
    /'([\w.]+)' is not supported/gi,
    /\(['"]body['"], ['"]([\w.]+)['"]\)/gi, // pydantic "extra_forbidden" locations (vLLM, FastAPI servers)
  ];
  for (const pattern of patterns) {
    for (const match of message.matchAll(pattern)) names.push(...match[1]!.split(/[,\s]+/).filter(Boolean));
  }
  // LiteLLM: "does not support parameters: ['seed', 'logit_bias']"
  const list = /does not support parameters?: \[([^\]]*)\]/i.exec(message);
  if (list) for (const quoted of list[1]!.matchAll(/['"]([\w.]+)['"]/g)) names.push(quoted[1]!);
  return names;
}

const refusalWords =
  /not supported|unsupported|does not support|not allowed|not permitted|unrecognized|unknown|invalid|only the default|range/i;
const schemaRefusal =
  /response_format|json_schema|json schema|xgrammar|outlines|guided|grammar|structured output|invalid schema/i;

export interface RejectionContext {
  status: number | undefined;
  server: ServerError | null;
  params: Params;
  adaptations: EndpointAdaptations;
  /** False when the simplified schema would be the same as the full one: go straight to JSON in text. */
  schemaSimplifiable: boolean;
}

/** The next adaptation for a refused request, or null when the refusal is not about something adaptable. */
export function adaptationFor(context: RejectionContext): Adaptation | null {
  const { status, server, params, adaptations } = context;
  if ((status !== 400 && status !== 422) || !server) return null;
  const sent = params as unknown as Record<string, unknown>;
  const serverMessage = server.message.slice(0, 500);
  const names = namedParams(server);

  for (const name of names) {
    if (sent[name] === undefined) continue;
    if (tokenParams.has(name)) {
      const other: TokenParam = name === "max_tokens" ? "max_completion_tokens" : "max_tokens";
      const alreadyRenamed = adaptations.some((a) => a.kind === "rename" && a.to === name);
      // Both names refused: send no limit rather than flip between them.
      if (alreadyRenamed) return { kind: "drop", param: name, serverMessage };
      return { kind: "rename", from: name as TokenParam, to: other, serverMessage };
    }
    if (droppableParams.has(name)) return { kind: "drop", param: name, serverMessage };
  }

  if (sent.response_format !== undefined) {
    const aboutSchema = names.includes("response_format") || schemaRefusal.test(server.message);
    if (aboutSchema) {
      const current = structuredFallbackOf(adaptations);
      if (current === null && context.schemaSimplifiable)
        return { kind: "structured", mode: "simplified_schema", serverMessage };
      if (current !== "json_in_text") return { kind: "structured", mode: "json_in_text", serverMessage };
      return null;
    }
  }

  // No name given: a sent parameter the message mentions alongside a refusal ("temperature: range 0..1").
  if (!refusalWords.test(server.message)) return null;
  for (const name of [...droppableParams, ...tokenParams]) {
    if (sent[name] === undefined || !new RegExp(`\\b${name}\\b`).test(server.message)) continue;
    if (tokenParams.has(name)) continue; // a token limit is renamed only when named exactly
    return { kind: "drop", param: name, serverMessage };
  }
  return null;
}

/** "temperature not supported: sent without it" — one line per adaptation, for the UI, CLI and logs. */
export function describeAdaptation(adaptation: Adaptation): string {
  switch (adaptation.kind) {
    case "drop":
      return `${adaptation.param} not supported: sent without it`;
    case "rename":
      return `${adaptation.from} not supported: sent ${adaptation.to} instead`;
    case "structured":
      return adaptation.mode === "simplified_schema"
        ? "response_format json_schema refused: sent a simplified schema (answers still checked against the full one)"
        : "response_format json_schema refused: JSON asked for in the prompt (answers still checked against the schema)";
  }
}

/** Adds an adaptation unless an identical one is known. */
export function withAdaptation(adaptations: EndpointAdaptations, next: Adaptation): EndpointAdaptations {
  const same = (a: Adaptation) =>
    a.kind === next.kind &&
    (a.kind !== "drop" || next.kind !== "drop" || a.param === next.param) &&
    (a.kind !== "rename" || next.kind !== "rename" || a.from === next.from) &&
    (a.kind !== "structured" || next.kind !== "structured" || a.mode === next.mode);
  return adaptations.some(same) ? adaptations : [...adaptations, next];
}

/** Reads a stored list, keeping only well-formed entries (the column is JSON). */
export function parseAdaptations(value: unknown): EndpointAdaptations {
  if (!Array.isArray(value)) return noAdaptations;
  return value.filter((item): item is Adaptation => {
    if (typeof item !== "object" || item === null) return false;
    const entry = item as Record<string, unknown>;
    if (typeof entry.serverMessage !== "string") return false;
    if (entry.kind === "drop") return typeof entry.param === "string";
    if (entry.kind === "rename")
      return tokenParams.has(String(entry.from)) && tokenParams.has(String(entry.to));
    if (entry.kind === "structured")
      return entry.mode === "simplified_schema" || entry.mode === "json_in_text";
    return false;
  });
}

/** Where adaptations are remembered; the PostgreSQL one is lib/db/endpoint-adaptations.ts. */
export interface AdaptationStore {
  load(key: { baseUrl: string; model: string }): Promise<EndpointAdaptations>;
  save(key: { baseUrl: string; model: string }, adaptations: EndpointAdaptations): Promise<void>;
}

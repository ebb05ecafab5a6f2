// Real providers' documented refusals, for the fake server (sources in shared docs/providers.md):
// openai-reasoning: o-series/gpt-5 on OpenAI or Azure: max_tokens and temperature ≠ 1 refused with OpenAI's exact
//   bodies, reasoning tokens in usage.completion_tokens_details;
// openai-strict: Structured Outputs' "not permitted" keywords refused with param response_format;
// vllm-xgrammar: vLLM 0.8.x's flat {"object":"error",…} body for minItems, ranges, format… (vllm#16880);
// litellm-anthropic: LiteLLM proxy with drop_params=false in front of Anthropic: seed refused, temperature ≤ 1;
// ollama: OpenAI-compatible API, `strict` ignored, unpulled model → 404 "try pulling it first";
// llamacpp: llama-server answers for any model name, 503 "Loading model" while it loads;
// openrouter: vendor/model ids, some answers are HTTP 200 with an `error` object and no choices.
import type { ChatRequestBody } from "@/test/fake-llm/answers";

export type FakeProvider =
  | "openai-compatible"
  | "openai-reasoning"
  | "openai-strict"
  | "vllm-xgrammar"
  | "litellm-anthropic"
  | "ollama"
  | "llamacpp"
  | "openrouter";

export interface ProviderReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

function openAiError(message: string, param: string | null, code: string | null) {
  return { error: { message, type: "invalid_request_error", param, code } };
}

/** Every key (at any depth) of a JSON schema's nodes, not counting property names. */
function schemaKeywords(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const item of node) schemaKeywords(item, found);
    return found;
  }
  if (typeof node !== "object" || node === null) return found;
  for (const [key, value] of Object.entries(node)) {
    found.add(key);
    if (key === "properties" || key === "$defs" || key === "definitions") {
      for (const inner of Object.values(value as object)) schemaKeywords(inner, found);
    } else if (typeof value === "object") schemaKeywords(value, found);
  }
  return found;
}

const strictNotPermitted = [
  "minLength",
  "maxLength",
  "default",
  "allOf",
  "not",
  "if",
  "patternProperties",
  "uniqueItems",
];
const xgrammarUnsupported = [
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "uniqueItems",
  "format",
  "propertyNames",
  "patternProperties",
];

/** The provider's refusal of this request, or null when it would answer. */
export function providerRefusal(provider: FakeProvider, body: ChatRequestBody): ProviderReply | null {
  const fields = body as unknown as Record<string, unknown>;
  const schema = body.response_format?.json_schema?.schema;
  switch (provider) {
    case "openai-reasoning": {
      if (body.max_tokens !== undefined) {
        return {
          status: 400,
          body: openAiError(
            "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
            "max_tokens",
            "unsupported_parameter",
          ),
        };
      }
      if (typeof body.temperature === "number" && body.temperature !== 1) {
        return {
          status: 400,
          body: openAiError(
            `Unsupported value: 'temperature' does not support ${body.temperature} with this model. Only the default (1) value is supported.`,
            "temperature",
            "unsupported_value",
          ),
        };
      }
      return null;
    }
    case "openai-strict": {
      if (!schema) return null;
      const bad = strictNotPermitted.find((keyword) => schemaKeywords(schema).has(keyword));
      if (!bad) return null;
      const name = body.response_format?.json_schema?.name ?? "response";
      return {
        status: 400,
        body: openAiError(
          `Invalid schema for response_format '${name}': In context=(), '${bad}' is not permitted.`,
          "response_format",
          null,
        ),
      };
    }
    case "vllm-xgrammar": {
      if (!schema || !xgrammarUnsupported.some((keyword) => schemaKeywords(schema).has(keyword))) return null;
      return {
        status: 400,
        body: {
          object: "error",
          message: "The provided JSON schema contains features not supported by xgrammar.",
          type: "BadRequestError",
          param: null,
          code: 400,
        },
      };
    }
    case "litellm-anthropic": {
      const refused = ["seed", "logit_bias", "presence_penalty", "frequency_penalty"].filter(
        (name) => fields[name] !== undefined,
      );
      if (refused.length > 0) {
        return {
          status: 400,
          body: {
            error: {
              message: `litellm.UnsupportedParamsError: anthropic does not support parameters: [${refused.map((name) => `'${name}'`).join(", ")}], for model=${body.model}. To drop these, set \`litellm.drop_params=True\` or for proxy:\n\n\`litellm_settings:\n drop_params: true\`\n`,
              type: "None",
              param: null,
              code: "400",
            },
          },
        };
      }
      if (typeof body.temperature === "number" && body.temperature > 1) {
        return {
          status: 400,
          body: {
            error: {
              message: `litellm.BadRequestError: AnthropicException - temperature: range: 0..1, got ${body.temperature}`,
              type: "None",
              param: null,
              code: "400",
            },
          },
        };
      }
      return null;
    }
    default:
      return null;
  }
}

/** Tokens a provider's model spends reasoning before it answers (reported in completion_tokens_details). */
export function reasoningTokensOf(provider: FakeProvider): number {
  return provider === "openai-reasoning" ? 64 : 0;
}

/** The provider's "model not found" reply (Ollama names the fix; others answer like OpenAI). */
export function modelMissingReply(provider: FakeProvider, model: string): ProviderReply {
  if (provider === "ollama") {
    return {
      status: 404,
      body: {
        error: {
          message: `model "${model}" not found, try pulling it first`,
          type: "api_error",
          param: null,
          code: null,
        },
      },
    };
  }
  return {
    status: 404,
    body: openAiError(
      `The model \`${model}\` does not exist or you do not have access to it.`,
      null,
      "model_not_found",
    ),
  };
}

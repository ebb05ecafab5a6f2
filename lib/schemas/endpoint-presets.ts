// Starting points for the Models form, one per common OpenAI-compatible provider: base URL, key variable name,
// structured-output mode and token-limit parameter. Every field stays editable. Prices are left at 0 (enter your
// plan's price): list prices change often and none were checked from a stored copy of the providers' pages.
import type { EndpointFormValues } from "@/lib/schemas/endpoint";

export interface EndpointPreset {
  id: string;
  label: string;
  /** What the user still has to fill in or know. */
  note: string;
  values: Partial<Omit<EndpointFormValues, "role">>;
}

export const endpointPresets: EndpointPreset[] = [
  {
    id: "openai",
    label: "OpenAI",
    note: "Reasoning models (o-series, gpt-5) get max_completion_tokens and their default temperature automatically.",
    values: {
      baseUrl: "https://api.openai.com/v1",
      apiKeyEnv: "OPENAI_API_KEY",
      structuredOutputMode: "json_schema",
    },
  },
  {
    id: "azure-openai",
    label: "Azure OpenAI",
    note: "Replace RESOURCE with your resource name and use the deployment name as the model; the v1 API needs no api-version.",
    values: {
      baseUrl: "https://RESOURCE.openai.azure.com/openai/v1",
      apiKeyEnv: "AZURE_OPENAI_API_KEY",
      structuredOutputMode: "json_schema",
    },
  },
  {
    id: "anthropic",
    label: "Anthropic (OpenAI-compatible endpoint)",
    note: "Structured output is asked for in the prompt; temperature is at most 1.",
    values: {
      baseUrl: "https://api.anthropic.com/v1",
      apiKeyEnv: "ANTHROPIC_API_KEY",
      structuredOutputMode: "json_in_text",
    },
  },
  {
    id: "gemini",
    label: "Google Gemini (OpenAI-compatible endpoint)",
    note: "Model names like gemini-2.5-flash.",
    values: {
      baseUrl: "https://generativelanguage.googleapis.com/v1beta/openai",
      apiKeyEnv: "GEMINI_API_KEY",
      structuredOutputMode: "json_schema",
    },
  },
  {
    id: "openrouter",
    label: "OpenRouter",
    note: "Model ids are vendor/model (e.g. openai/gpt-4o-mini).",
    values: {
      baseUrl: "https://openrouter.ai/api/v1",
      apiKeyEnv: "OPENROUTER_API_KEY",
      structuredOutputMode: "json_schema",
    },
  },
  {
    id: "together",
    label: "Together AI",
    note: "Model ids are vendor/model.",
    values: {
      baseUrl: "https://api.together.xyz/v1",
      apiKeyEnv: "TOGETHER_API_KEY",
      structuredOutputMode: "json_schema",
    },
  },
  {
    id: "groq",
    label: "Groq",
    note: "Its RPM limit is in no header: set requests per minute from your plan.",
    values: {
      baseUrl: "https://api.groq.com/openai/v1",
      apiKeyEnv: "GROQ_API_KEY",
      structuredOutputMode: "json_schema",
    },
  },
  {
    id: "vllm",
    label: "vLLM (local)",
    note: "The model is the served name (--served-model-name); no key unless started with --api-key.",
    values: {
      baseUrl: "http://127.0.0.1:8000/v1",
      apiKeyEnv: "",
      structuredOutputMode: "json_schema",
      priceInputPerMTok: "0",
      priceOutputPerMTok: "0",
    },
  },
  {
    id: "ollama",
    label: "Ollama (local)",
    note: "Models like llama3.1:8b (pull them first); a few requests run in parallel, set the concurrency low.",
    values: {
      baseUrl: "http://127.0.0.1:11434/v1",
      apiKeyEnv: "",
      structuredOutputMode: "json_schema",
      maxConcurrency: "2",
      priceInputPerMTok: "0",
      priceOutputPerMTok: "0",
    },
  },
  {
    id: "llamacpp",
    label: "llama.cpp server (local)",
    note: "Serves its loaded model whatever the model name says.",
    values: {
      baseUrl: "http://127.0.0.1:8080/v1",
      apiKeyEnv: "",
      structuredOutputMode: "json_schema",
      maxConcurrency: "4",
      priceInputPerMTok: "0",
      priceOutputPerMTok: "0",
    },
  },
  {
    id: "litellm",
    label: "LiteLLM proxy",
    note: "Refused parameters are dropped automatically when the proxy names them.",
    values: {
      baseUrl: "http://127.0.0.1:4000/v1",
      apiKeyEnv: "LITELLM_API_KEY",
      structuredOutputMode: "json_schema",
    },
  },
];

/** The form's values with a preset applied over them (the role, model and limits the user set stay). */
export function applyPreset(values: EndpointFormValues, presetId: string): EndpointFormValues {
  const preset = endpointPresets.find((entry) => entry.id === presetId);
  return preset ? { ...values, ...preset.values } : values;
}

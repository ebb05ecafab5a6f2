// The endpoint form's schema, shared by the Models page (checks before sending) and its server actions.
// Numbers arrive as the form's strings; blanks of optional fields become null.
import { z } from "zod";
import { optionalNumber, requiredNumber } from "@/lib/schemas/form-number";

export const endpointRoles = ["strong", "target", "judge"] as const;
export type EndpointRoleName = (typeof endpointRoles)[number];
export const structuredOutputModes = ["json_schema", "json_in_text"] as const;
export const tokenLimitParams = ["auto", "max_tokens", "max_completion_tokens"] as const;
export const reasoningEfforts = ["minimal", "low", "medium", "high"] as const;

const envVarName = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Pasted keys ("sk-…", long random tokens) get their own message, so nobody stores a key by mistake. */
export function looksLikeApiKey(value: string): boolean {
  if (/^(sk|pk|rk)[-_]/.test(value)) return true;
  return value.length >= 32 && /[a-z]/.test(value) && /[0-9]/.test(value) && !value.includes("_");
}

export const baseUrlSchema = z
  .string()
  .trim()
  .min(1, "Enter the base URL, e.g. https://api.openai.com/v1")
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
    } catch {
      return false;
    }
  }, "Enter an http:// or https:// URL, e.g. http://127.0.0.1:8000/v1")
  // The SDK appends "/chat/completions": a trailing slash would double it.
  .transform((value) => value.replace(/\/+$/, ""));

export const apiKeyEnvSchema = z
  .string()
  .trim()
  .max(100, "Keep the variable name under 100 characters")
  .superRefine((value, context) => {
    if (value === "") return;
    if (looksLikeApiKey(value)) {
      context.addIssue({
        code: "custom",
        message:
          "This looks like an API key: enter the name of the environment variable holding it (e.g. OPENAI_API_KEY), never the key",
      });
    } else if (!envVarName.test(value)) {
      context.addIssue({
        code: "custom",
        message: "Use letters, digits and _ only, not starting with a digit (e.g. OPENAI_API_KEY)",
      });
    }
  })
  .transform((value) => (value === "" ? null : value));

export const endpointInputSchema = z.object({
  role: z.enum(endpointRoles, { error: "Choose strong, target or judge" }),
  baseUrl: baseUrlSchema,
  model: z
    .string()
    .trim()
    .min(1, "Enter the model name the server knows, e.g. gpt-4o-mini")
    .max(200, "Keep the model name under 200 characters"),
  apiKeyEnv: apiKeyEnvSchema.nullish().transform((value) => value ?? null),
  maxConcurrency: requiredNumber({ label: "the concurrency", min: 1, max: 1024, integer: true }),
  requestsPerMinute: optionalNumber({
    label: "the requests per minute",
    min: 1,
    max: 1_000_000,
    integer: true,
  }),
  tokensPerMinute: optionalNumber({
    label: "the tokens per minute",
    min: 1,
    max: 1_000_000_000,
    integer: true,
  }),
  temperature: optionalNumber({ label: "the temperature", min: 0, max: 2, integer: false }),
  maxTokens: requiredNumber({ label: "the max tokens", min: 1, max: 1_000_000, integer: true }),
  priceInputPerMTok: requiredNumber({ label: "the input price", min: 0, max: 10_000, integer: false }),
  priceOutputPerMTok: requiredNumber({ label: "the output price", min: 0, max: 10_000, integer: false }),
  structuredOutputMode: z.enum(structuredOutputModes, { error: "Choose json_schema or json_in_text" }),
  timeoutMs: requiredNumber({ label: "the timeout", min: 1_000, max: 3_600_000, integer: true }),
  tokenLimitParam: z
    .enum(tokenLimitParams, { error: "Choose auto, max_tokens or max_completion_tokens" })
    .default("auto"),
  reasoningEffort: z
    .union([z.enum(reasoningEfforts), z.literal("")], {
      error: "Choose no reasoning effort, or minimal, low, medium or high",
    })
    .nullish()
    .transform((value) => value || null),
});

export type EndpointInput = z.output<typeof endpointInputSchema>;

/** What the form holds: every field as typed. */
export type EndpointFormValues = { role: EndpointRoleName } & {
  [K in Exclude<keyof EndpointInput, "role">]: string;
};

/** Defaults for a new endpoint: the paper's 2,048 max tokens, 8 parallel requests, a 2-minute timeout. */
export const endpointFormDefaults: Omit<EndpointFormValues, "role"> = {
  baseUrl: "",
  model: "",
  apiKeyEnv: "",
  maxConcurrency: "8",
  requestsPerMinute: "",
  tokensPerMinute: "",
  temperature: "",
  maxTokens: "2048",
  priceInputPerMTok: "0",
  priceOutputPerMTok: "0",
  structuredOutputMode: "json_schema",
  timeoutMs: "120000",
  tokenLimitParam: "auto",
  reasoningEffort: "",
};

export const saveEndpointSchema = z.object({
  projectId: z.number().int().positive(),
  endpoint: endpointInputSchema,
});

export const endpointRoleSchema = z.object({
  projectId: z.number().int().positive(),
  role: z.enum(endpointRoles),
});

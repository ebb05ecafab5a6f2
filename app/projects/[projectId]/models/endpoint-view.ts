// What the Models page shows of a saved endpoint: the form's values and whether the named key variable is set
// on the server (never the key).
import type { Endpoint } from "@/lib/generated/prisma/client";
import { isApiKeySet } from "@/lib/env";
import type { EndpointFormValues } from "@/lib/schemas/endpoint";

export interface EndpointView {
  role: Endpoint["role"];
  values: EndpointFormValues;
  /** null when no variable is named (local servers often need no key). */
  apiKeySet: boolean | null;
  updatedAt: string;
}

function text(value: number | null): string {
  return value === null ? "" : String(value);
}

export function toEndpointView(row: Endpoint): EndpointView {
  let apiKeySet: boolean | null = null;
  if (row.apiKeyEnv) {
    try {
      apiKeySet = isApiKeySet(row.apiKeyEnv);
    } catch {
      apiKeySet = false; // a name stored before validation existed; the form will flag it
    }
  }
  return {
    role: row.role,
    values: {
      role: row.role,
      baseUrl: row.baseUrl,
      model: row.model,
      apiKeyEnv: row.apiKeyEnv ?? "",
      maxConcurrency: text(row.maxConcurrency),
      requestsPerMinute: text(row.requestsPerMinute),
      tokensPerMinute: text(row.tokensPerMinute),
      temperature: text(row.temperature),
      maxTokens: text(row.maxTokens),
      priceInputPerMTok: text(row.priceInputPerMTok),
      priceOutputPerMTok: text(row.priceOutputPerMTok),
      structuredOutputMode: row.structuredOutputMode,
      timeoutMs: text(row.timeoutMs),
      tokenLimitParam: row.tokenLimitParam,
      reasoningEffort: row.reasoningEffort ?? "",
    },
    apiKeySet,
    updatedAt: row.updatedAt.toISOString(),
  };
}

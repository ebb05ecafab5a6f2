// "Test connection" for the endpoint form: reachability, key and model, then the calls a run will make (each
// structured schema of the method, the real parameters, a plain answer), adapted as a run adapts.
import { z, type ZodType } from "zod";
import type OpenAI from "openai";
import { describeAdaptation, structuredFallbackOf, type AdaptationStore } from "@/lib/llm/adaptations";
import { LlmError, toLlmError, type LlmErrorKind } from "@/lib/llm/errors";
import { createLlmGateway } from "@/lib/llm/gateway";
import { createMemoryLlmStore } from "@/lib/llm/memory-store";
import { buildChatParams, createOpenAiClient, resolveApiKey } from "@/lib/llm/openai-client";
import type { EndpointConfig, LlmMessage, LlmRequest } from "@/lib/llm/types";

const probeSchema = z.object({ status: z.enum(["ready"]) });
// Statuses meaning "this server has no /models route", not "this endpoint is broken".
const modelsRouteMissing = new Set([404, 405, 501]);

/** The served model ids, or null when the server does not list them. */
async function listModels(
  client: OpenAI,
  endpoint: EndpointConfig,
  apiKey: string | undefined,
): Promise<string[] | null> {
  try {
    const page = await client.models.list();
    return page.data.map((model) => model.id);
  } catch (error) {
    const llmError = toLlmError(error, { endpoint, apiKey });
    if (
      llmError.status !== undefined &&
      (modelsRouteMissing.has(llmError.status) || llmError.kind === "bad_request")
    )
      return null;
    throw llmError;
  }
}

function isListed(model: string, listed: string[]): boolean {
  // Ollama lists "llama3:latest" but serves it as "llama3" too.
  return listed.includes(model) || listed.includes(`${model}:latest`);
}

async function checkModelServed(
  client: OpenAI,
  endpoint: EndpointConfig,
  apiKey: string | undefined,
): Promise<void> {
  const listed = await listModels(client, endpoint, apiKey);
  if (listed && isListed(endpoint.model, listed)) return;
  // Not listed (or no listing): some servers (llama.cpp) answer for any name, so a 1-token call decides.
  try {
    await client.chat.completions.create(
      buildChatParams(endpoint, {
        messages: [{ role: "user", content: "Say OK." }],
        temperature: null,
        maxTokens: 1,
        seed: null,
      }),
    );
  } catch (error) {
    const llmError = toLlmError(error, { endpoint, apiKey });
    // A refused parameter means the model is there; the probes below adapt to it.
    if (llmError.kind === "bad_request") return;
    if (llmError.kind === "model_not_found" && listed && listed.length > 0) {
      const examples = listed
        .slice(0, 5)
        .map((id) => `"${id}"`)
        .join(", ");
      throw new LlmError(
        "model_not_found",
        `Model "${endpoint.model}" is not served by ${endpoint.baseUrl}: it serves ${examples}`,
        {
          status: llmError.status,
        },
      );
    }
    throw llmError;
  }
}

export interface ConnectionProbeRequest {
  capability: string;
  promptName: string;
  messages: LlmMessage[];
  schema: ZodType<unknown> | null;
  temperature: number | undefined;
}

export type CapabilityStatus = "works" | "adapted" | "failed";

export interface CapabilityReport {
  capability: string;
  status: CapabilityStatus;
  /** What was adapted for this call ("temperature not supported: sent without it"). */
  adaptations: string[];
  /** For a failure: what failed, with the server's own message. */
  message?: string;
}

export type ConnectionCheck =
  | {
      ok: true;
      latencyMs: number;
      /** Every structured probe got its answer through response_format json_schema (full or simplified). */
      structuredOutput: boolean;
      advice?: string;
      capabilities: CapabilityReport[];
    }
  | { ok: false; kind: LlmErrorKind; message: string; capabilities: CapabilityReport[] };

/** Without a method's probes: one small schema and one plain answer. */
const defaultProbes: ConnectionProbeRequest[] = [
  {
    capability: "Structured output",
    promptName: "connection-check",
    messages: [{ role: "user", content: 'Reply with the JSON object {"status": "ready"}.' }],
    schema: probeSchema,
    temperature: undefined,
  },
  {
    capability: "Plain-text answer",
    promptName: "connection-check-text",
    messages: [{ role: "user", content: "Say OK." }],
    schema: null,
    temperature: undefined,
  },
];

export interface TestConnectionOptions {
  /** The calls a run will make on this endpoint (lib/codeclm/connection-probes.ts). */
  probes?: ConnectionProbeRequest[];
  /** Where what the server refused is remembered, so runs start adapted. */
  adaptations?: AdaptationStore;
}

/** Sends what a run will send, adapting as a run would; reports per capability what works, was adapted, failed. */
export async function testConnection(
  endpoint: EndpointConfig,
  options: TestConnectionOptions = {},
): Promise<ConnectionCheck> {
  const startedAt = Date.now();
  let apiKey: string | undefined;
  try {
    apiKey = resolveApiKey(endpoint);
    const client = createOpenAiClient(endpoint, apiKey);
    await checkModelServed(client, endpoint, apiKey);
  } catch (error) {
    const llmError = toLlmError(error, { endpoint, apiKey });
    return { ok: false, kind: llmError.kind, message: llmError.message, capabilities: [] };
  }
  const gateway = createLlmGateway({
    store: createMemoryLlmStore(),
    adaptations: options.adaptations,
    retry: { maxAttempts: 2, maxRetryAfterMs: 5_000 },
  });
  const capabilities: CapabilityReport[] = [];
  let firstFailure: LlmError | null = null;
  let structuredOutput = true;
  const runId = `${Date.now()}`;
  for (const probe of options.probes ?? defaultProbes) {
    try {
      await gateway.complete(endpoint, {
        promptName: probe.promptName,
        // A fresh version each test: nothing is answered from a cache or an identical call in flight.
        promptVersion: `connection-test-${runId}`,
        messages: probe.messages,
        schema: probe.schema ?? undefined,
        temperature: probe.temperature,
      } as LlmRequest<unknown> & { schema: ZodType<unknown> });
      const sent = {
        temperature: (probe.temperature ?? endpoint.temperature ?? null) !== null,
        reasoning_effort: Boolean(endpoint.reasoningEffort),
      };
      // Only what changed this call: a dropped temperature matters only to a call that sets one.
      const relevant = (await gateway.adaptationsFor(endpoint)).filter((adaptation) => {
        if (adaptation.kind === "structured") return probe.schema !== null;
        if (adaptation.kind === "drop") return sent[adaptation.param as keyof typeof sent] ?? false;
        return true;
      });
      if (probe.schema && structuredFallbackOf(relevant) === "json_in_text") structuredOutput = false;
      capabilities.push({
        capability: probe.capability,
        status: relevant.length > 0 ? "adapted" : "works",
        adaptations: relevant.map(describeAdaptation),
      });
    } catch (error) {
      const llmError = toLlmError(error, { endpoint, apiKey });
      firstFailure ??= llmError;
      capabilities.push({
        capability: probe.capability,
        status: "failed",
        adaptations: [],
        message: llmError.message,
      });
      if (llmError.fatalForEndpoint) break;
    }
  }
  if (firstFailure) {
    return { ok: false, kind: firstFailure.kind, message: firstFailure.message, capabilities };
  }
  const latencyMs = Date.now() - startedAt;
  if (!structuredOutput && endpoint.structuredOutputMode === "json_schema") {
    return {
      ok: true,
      latencyMs,
      structuredOutput,
      capabilities,
      advice: `${endpoint.baseUrl} refuses response_format json_schema for "${endpoint.model}": runs ask for JSON in the prompt instead (you can also set json_in_text)`,
    };
  }
  return { ok: true, latencyMs, structuredOutput, capabilities };
}

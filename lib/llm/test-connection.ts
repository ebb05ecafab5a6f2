// "Test connection" for the endpoint form: reachability, key, model, and whether json_schema output works.
import { z } from "zod";
import type OpenAI from "openai";
import { LlmError, toLlmError, type LlmErrorKind } from "@/lib/llm/errors";
import { buildChatParams, createOpenAiClient, resolveApiKey } from "@/lib/llm/openai-client";
import { parseStructuredText, prepareSchema } from "@/lib/llm/structured-output";
import type { EndpointConfig } from "@/lib/llm/types";

export type ConnectionCheck =
  | { ok: true; latencyMs: number; structuredOutput: boolean; advice?: string }
  | { ok: false; kind: LlmErrorKind; message: string };

const probeSchema = z.object({ status: z.enum(["ready"]) });
const probeSchemaPrepared = prepareSchema(probeSchema);
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

/** True when the server honours response_format json_schema; a rejection or an ignored schema means "use json_in_text". */
async function probeStructuredOutput(
  client: OpenAI,
  endpoint: EndpointConfig,
  apiKey: string | undefined,
): Promise<boolean> {
  const params = buildChatParams(endpoint, {
    messages: [{ role: "user", content: 'Reply with the JSON object {"status": "ready"}.' }],
    temperature: 0,
    maxTokens: 50,
    seed: null,
    jsonSchema: { name: "connection_check", schema: probeSchemaPrepared.strict },
  });
  try {
    const completion = await client.chat.completions.create(params);
    const text = completion.choices[0]?.message?.content ?? "";
    return parseStructuredText(text, probeSchema, probeSchemaPrepared).ok;
  } catch (error) {
    const llmError = toLlmError(error, { endpoint, apiKey, usedJsonSchema: true });
    if (llmError.kind === "bad_request") return false;
    throw llmError;
  }
}

export async function testConnection(endpoint: EndpointConfig): Promise<ConnectionCheck> {
  const startedAt = Date.now();
  let apiKey: string | undefined;
  try {
    apiKey = resolveApiKey(endpoint);
    const client = createOpenAiClient(endpoint, apiKey);
    await checkModelServed(client, endpoint, apiKey);
    const structuredOutput = await probeStructuredOutput(client, endpoint, apiKey);
    const latencyMs = Date.now() - startedAt;
    if (!structuredOutput && endpoint.structuredOutputMode === "json_schema") {
      return {
        ok: true,
        latencyMs,
        structuredOutput,
        advice: `${endpoint.baseUrl} does not support response_format json_schema for "${endpoint.model}": set the structured output mode to json_in_text`,
      };
    }
    return { ok: true, latencyMs, structuredOutput };
  } catch (error) {
    const llmError = toLlmError(error, { endpoint, apiKey });
    return { ok: false, kind: llmError.kind, message: llmError.message };
  }
}

// A fake OpenAI-compatible server (node:http) with deterministic answers and switchable latency and faults.
// CLI: tsx test/fake-llm/server.ts --port 8787 [--latency 50]
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  answerFor,
  malformedContent,
  schemaFromSystemPrompt,
  messageText,
  type ChatRequestBody,
} from "@/test/fake-llm/answers";
import {
  modelMissingReply,
  providerRefusal,
  reasoningTokensOf,
  type FakeProvider,
} from "@/test/fake-llm/provider-modes";
import { seededRandom, type Random } from "@/test/fake-llm/seeded-random";

/** One scripted reply for the next chat request, ahead of any random fault. */
export interface FakeLlmFault {
  status?: number;
  body?: unknown;
  /** Retry-After header for a 429/503 (seconds or HTTP date); null sends none. */
  retryAfter?: string | null;
  retryAfterMs?: string;
  timeout?: boolean;
  reset?: boolean;
  /** Sends the headers and the start of the body, then closes the connection (a proxy or server dying mid-answer). */
  closeMidBody?: boolean;
  malformed?: boolean;
  /** OpenRouter: HTTP 200 whose body is only an `error` object (the upstream failed after the call began). */
  errorIn200?: boolean;
}

export interface FakeLlmServerOptions {
  host: string;
  port: number;
  latencyMs: number;
  /** When set, requests must carry `Authorization: Bearer <apiKey>`. */
  apiKey: string | null;
  /** Served models; null serves every name that does not contain "unknown". */
  models: string[] | null;
  /** false: GET /v1/models answers 404 (like servers without the route). */
  serveModelsRoute: boolean;
  /** false: requests with response_format json_schema get a 400. */
  supportsJsonSchema: boolean;
  rate429: number;
  /** Retry-After sent with random 429s; null sends none. */
  retryAfter: string | null;
  rate500: number;
  rateTimeout: number;
  /** A "timeout" hangs until the client gives up, but never longer than this. */
  hangMs: number;
  rateMalformed: number;
  rateReset: number;
  faultSeed: number;
  failNext: FakeLlmFault[];
  /**
   * When > 0, chat requests are held until this many are waiting together, then all go on (and later ones pass
   * freely until the option is set again). A test proves "N at once" with it, whatever the machine's load: with
   * fewer than N in flight the requests never finish.
   */
  holdUntilInFlight: number;
  /**
   * Content a test scripts for some requests (e.g. decode calls that return near-duplicates); null falls back to
   * the generated answer. In-process servers only.
   */
  replyWith: ((body: ChatRequestBody) => string | null) | null;
  /** Which real provider's documented refusals to emulate (see provider-modes.ts). */
  provider: FakeProvider;
  /** llama.cpp: this many chat requests get 503 "Loading model" first. */
  loadingRequests: number;
  /** OpenAI-style x-ratelimit-* headers on every answer; remaining counts down per request. */
  rateLimitHeaders: { requests: number; tokens: number; resetRequests: string; resetTokens: string } | null;
}

export interface FakeLlmStats {
  requests: number;
  chatRequests: number;
  byStatus: Record<string, number>;
  byModel: Record<string, number>;
  inFlight: number;
  inFlightMax: number;
  /** Bearer tokens received (any route), to check that a key only reaches its own endpoint. */
  keysSeen: Record<string, number>;
  /** Chat requests in flight per model now, and the most ever in flight at once per model. */
  inFlightByModel: Record<string, number>;
  inFlightMaxByModel: Record<string, number>;
  /** When the last chat request arrived (Date.now()), for "no call after the run ended" checks. */
  lastChatAt: number | null;
}

export interface FakeLlmServer {
  /** Base URL ending in /v1. */
  url: string;
  setOptions(partial: Partial<FakeLlmServerOptions>): void;
  stats(): FakeLlmStats;
  resetStats(): void;
  /** The body of the last chat request, for tests that check what the client sent. */
  lastChatRequest(): ChatRequestBody | null;
  stop(): Promise<void>;
}

const defaults: FakeLlmServerOptions = {
  host: "127.0.0.1",
  port: 0,
  latencyMs: 0,
  apiKey: null,
  models: null,
  serveModelsRoute: true,
  supportsJsonSchema: true,
  rate429: 0,
  retryAfter: "0",
  rate500: 0,
  rateTimeout: 0,
  hangMs: 60_000,
  rateMalformed: 0,
  rateReset: 0,
  faultSeed: 1,
  failNext: [],
  holdUntilInFlight: 0,
  replyWith: null,
  provider: "openai-compatible",
  loadingRequests: 0,
  rateLimitHeaders: null,
};

const defaultListedModels = ["fake-strong", "fake-target", "fake-judge"];

function emptyStats(): FakeLlmStats {
  return {
    requests: 0,
    chatRequests: 0,
    byStatus: {},
    byModel: {},
    inFlight: 0,
    inFlightMax: 0,
    keysSeen: {},
    inFlightByModel: {},
    inFlightMaxByModel: {},
    lastChatAt: null,
  };
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.writableEnded || response.destroyed) return;
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

function errorBody(message: string, type: string, code: string | null, param: string | null = null) {
  return { error: { message, type, code, param } };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startFakeLlmServer(
  initial: Partial<FakeLlmServerOptions> = {},
): Promise<FakeLlmServer> {
  let options: FakeLlmServerOptions = { ...defaults, ...initial, failNext: [...(initial.failNext ?? [])] };
  let faultRandom: Random = seededRandom(`faults:${options.faultSeed}`);
  let stats = emptyStats();
  let completionCounter = 0;
  let lastChat: ChatRequestBody | null = null;
  /** Chat requests in flight per model (kept across resetStats, like inFlight). */
  const inFlightNow: Record<string, number> = {};
  let loadingLeft = options.loadingRequests;
  let rateWindow = { requests: 0, tokens: 0 };

  /** OpenAI's x-ratelimit-* headers: the limits, what is left in this window, and when it resets. */
  function rateLimitHeaders(tokensUsed: number): Record<string, string> {
    const limits = options.rateLimitHeaders;
    if (!limits) return {};
    rateWindow = { requests: rateWindow.requests + 1, tokens: rateWindow.tokens + tokensUsed };
    return {
      "x-ratelimit-limit-requests": String(limits.requests),
      "x-ratelimit-remaining-requests": String(Math.max(0, limits.requests - rateWindow.requests)),
      "x-ratelimit-reset-requests": limits.resetRequests,
      "x-ratelimit-limit-tokens": String(limits.tokens),
      "x-ratelimit-remaining-tokens": String(Math.max(0, limits.tokens - rateWindow.tokens)),
      "x-ratelimit-reset-tokens": limits.resetTokens,
    };
  }
  const pendingTimers = new Set<ReturnType<typeof setTimeout>>();
  let held: Array<() => void> = [];
  let barrierOpen = false;

  function openBarrier(): void {
    barrierOpen = true;
    for (const release of held.splice(0)) release();
  }

  /** Holds a chat request until holdUntilInFlight requests wait together (see the option). */
  function passBarrier(): Promise<void> {
    if (options.holdUntilInFlight <= 0 || barrierOpen) return Promise.resolve();
    return new Promise((resolve) => {
      held.push(resolve);
      if (held.length >= options.holdUntilInFlight) openBarrier();
    });
  }

  /** Waits ms unless the client goes away first; resolves false then. */
  function wait(ms: number, response: ServerResponse): Promise<boolean> {
    if (ms <= 0) return Promise.resolve(!response.destroyed);
    return new Promise((resolve) => {
      const done = (alive: boolean) => {
        clearTimeout(timer);
        pendingTimers.delete(timer);
        response.off("close", onClose);
        resolve(alive);
      };
      const onClose = () => done(false);
      const timer = setTimeout(() => done(true), ms);
      pendingTimers.add(timer);
      response.on("close", onClose);
    });
  }

  const isServed = (model: string) =>
    options.models ? options.models.includes(model) : !model.toLowerCase().includes("unknown");

  function drawFault(): FakeLlmFault | null {
    const scripted = options.failNext.shift();
    if (scripted) return scripted;
    const draw = faultRandom();
    let threshold = 0;
    const table: [number, FakeLlmFault][] = [
      [options.rateReset, { reset: true }],
      [options.rateTimeout, { timeout: true }],
      [options.rate429, { status: 429 }],
      [options.rate500, { status: 500 }],
      [options.rateMalformed, { malformed: true }],
    ];
    for (const [rate, fault] of table) {
      threshold += rate;
      if (draw < threshold) return fault;
    }
    return null;
  }

  async function handleChat(request: IncomingMessage, response: ServerResponse): Promise<void> {
    stats.chatRequests += 1;
    stats.lastChatAt = Date.now();
    let body: ChatRequestBody;
    try {
      body = JSON.parse(await readBody(request)) as ChatRequestBody;
      if (typeof body.model !== "string" || !Array.isArray(body.messages))
        throw new Error("model and messages are required");
    } catch (error) {
      sendJson(
        response,
        400,
        errorBody(
          `Invalid request body: ${error instanceof Error ? error.message : ""}`,
          "invalid_request_error",
          null,
        ),
      );
      return;
    }
    stats.byModel[body.model] = (stats.byModel[body.model] ?? 0) + 1;
    lastChat = body;
    const model = body.model;
    inFlightNow[model] = (inFlightNow[model] ?? 0) + 1;
    stats.inFlightMaxByModel[model] = Math.max(stats.inFlightMaxByModel[model] ?? 0, inFlightNow[model]);
    response.once("close", () => {
      inFlightNow[model] = (inFlightNow[model] ?? 1) - 1;
    });
    await passBarrier();
    if (!isServed(body.model)) {
      const missing = modelMissingReply(options.provider, body.model);
      sendJson(response, missing.status, missing.body);
      return;
    }
    if (options.provider === "llamacpp" && loadingLeft > 0) {
      loadingLeft -= 1;
      sendJson(response, 503, { error: { code: 503, message: "Loading model", type: "unavailable_error" } });
      return;
    }
    const refusal = providerRefusal(options.provider, body);
    if (refusal) {
      sendJson(response, refusal.status, refusal.body, refusal.headers);
      return;
    }
    const wantsJsonSchema = body.response_format?.type === "json_schema";
    if (wantsJsonSchema && !options.supportsJsonSchema) {
      sendJson(
        response,
        400,
        errorBody(
          "response_format type json_schema is not supported by this server",
          "invalid_request_error",
          null,
          "response_format",
        ),
      );
      return;
    }
    const fault = drawFault();
    if (fault?.reset) {
      request.socket.destroy();
      return;
    }
    if (fault?.timeout) {
      if (await wait(options.hangMs, response))
        sendJson(response, 504, errorBody("Gateway timeout", "server_error", null));
      return;
    }
    if (!(await wait(options.latencyMs, response))) return;
    if (fault?.closeMidBody) {
      response.writeHead(200, { "content-type": "application/json", "content-length": "4096" });
      response.write(
        '{"id":"chatcmpl-cut","object":"chat.completion","choices":[{"index":0,"message":{"role":"assi',
      );
      setTimeout(() => request.socket.destroy(), 5);
      return;
    }
    if (fault?.errorIn200) {
      sendJson(response, 200, {
        id: "gen-fake-error",
        object: "chat.completion",
        error: { code: 502, message: "Provider returned error", metadata: { provider_name: "Fake" } },
      });
      return;
    }
    if (fault?.status) {
      const headers: Record<string, string> = {};
      const retryAfter = fault.retryAfter === undefined ? options.retryAfter : fault.retryAfter;
      if ((fault.status === 429 || fault.status === 503) && retryAfter !== null)
        headers["retry-after"] = retryAfter;
      if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = fault.retryAfterMs;
      const defaultBody =
        fault.status === 429
          ? errorBody("Rate limit reached for requests", "requests", "rate_limit_exceeded")
          : errorBody(
              `Fake failure with status ${fault.status}`,
              fault.status >= 500 ? "server_error" : "invalid_request_error",
              null,
            );
      sendJson(response, fault.status, fault.body ?? defaultBody, headers);
      return;
    }
    const structured = wantsJsonSchema || schemaFromSystemPrompt(body) !== null;
    const scriptedContent = options.replyWith?.(body) ?? null;
    const answer =
      fault?.malformed && structured
        ? { content: malformedContent(faultRandom), finishReason: "stop" }
        : scriptedContent !== null
          ? { content: scriptedContent, finishReason: "stop" }
          : answerFor(body);
    const promptChars = body.messages.reduce((sum, message) => sum + messageText(message.content).length, 0);
    const promptTokens = Math.ceil(promptChars / 4);
    const reasoningTokens = reasoningTokensOf(options.provider);
    const completionTokens = Math.ceil(answer.content.length / 4) + reasoningTokens;
    completionCounter += 1;
    sendJson(
      response,
      200,
      {
        id: `chatcmpl-fake-${completionCounter}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: body.model,
        choices: [
          {
            index: 0,
            message: { role: "assistant", content: answer.content, refusal: null },
            finish_reason: answer.finishReason,
            logprobs: null,
          },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
          ...(reasoningTokens > 0
            ? { completion_tokens_details: { reasoning_tokens: reasoningTokens } }
            : {}),
        },
      },
      rateLimitHeaders(promptTokens + completionTokens),
    );
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const route = (request.url ?? "/").split("?")[0]!.replace(/\/+$/, "");
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (bearer) stats.keysSeen[bearer] = (stats.keysSeen[bearer] ?? 0) + 1;
    if (options.apiKey && request.headers.authorization !== `Bearer ${options.apiKey}`) {
      sendJson(
        response,
        401,
        errorBody("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"),
      );
      return;
    }
    if (request.method === "GET" && route === "/v1/models" && options.serveModelsRoute) {
      const ids = options.models ?? defaultListedModels;
      sendJson(response, 200, {
        object: "list",
        data: ids.map((id) => ({ id, object: "model", created: 0, owned_by: "fake-llm" })),
      });
      return;
    }
    if (request.method === "POST" && route === "/v1/chat/completions") return handleChat(request, response);
    sendJson(
      response,
      404,
      errorBody(`No route for ${request.method} ${route}`, "invalid_request_error", "not_found"),
    );
  }

  const server = createServer((request, response) => {
    stats.requests += 1;
    stats.inFlight += 1;
    stats.inFlightMax = Math.max(stats.inFlightMax, stats.inFlight);
    let counted = true;
    const finish = () => {
      if (!counted) return;
      counted = false;
      stats.inFlight -= 1;
      const key = response.headersSent ? String(response.statusCode) : "dropped";
      stats.byStatus[key] = (stats.byStatus[key] ?? 0) + 1;
    };
    response.on("close", finish);
    handle(request, response).catch((error: unknown) => {
      sendJson(
        response,
        500,
        errorBody(
          `Fake server bug: ${error instanceof Error ? error.message : String(error)}`,
          "server_error",
          null,
        ),
      );
    });
  });
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;

  return {
    url: `http://${host}:${address.port}/v1`,
    setOptions(partial) {
      const reseed = partial.faultSeed !== undefined && partial.faultSeed !== options.faultSeed;
      options = {
        ...options,
        ...partial,
        failNext: partial.failNext ? [...partial.failNext] : options.failNext,
      };
      if (reseed) faultRandom = seededRandom(`faults:${options.faultSeed}`);
      if (partial.holdUntilInFlight !== undefined) {
        openBarrier(); // requests held under the previous setting go on
        barrierOpen = false;
        held = [];
      }
      if (partial.loadingRequests !== undefined) loadingLeft = partial.loadingRequests;
    },
    stats: () => ({
      ...stats,
      byStatus: { ...stats.byStatus },
      byModel: { ...stats.byModel },
      keysSeen: { ...stats.keysSeen },
      inFlightByModel: { ...inFlightNow },
      inFlightMaxByModel: { ...stats.inFlightMaxByModel },
    }),
    lastChatRequest: () => lastChat,
    resetStats() {
      stats = { ...emptyStats(), inFlight: stats.inFlight };
    },
    async stop() {
      openBarrier();
      for (const timer of pendingTimers) clearTimeout(timer);
      pendingTimers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // hung "timeout" requests and idle keep-alive sockets
      await closed;
    },
  };
}

function runCli(): void {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8787" },
      host: { type: "string", default: "127.0.0.1" },
      latency: { type: "string", default: "0" },
      "api-key": { type: "string" },
      models: { type: "string" },
      "rate-429": { type: "string", default: "0" },
      "rate-500": { type: "string", default: "0" },
      "rate-malformed": { type: "string", default: "0" },
      provider: { type: "string", default: "openai-compatible" },
    },
  });
  startFakeLlmServer({
    port: Number(values.port),
    host: values.host,
    latencyMs: Number(values.latency),
    apiKey: values["api-key"] ?? null,
    models: values.models ? values.models.split(",").map((model) => model.trim()) : null,
    rate429: Number(values["rate-429"]),
    rate500: Number(values["rate-500"]),
    rateMalformed: Number(values["rate-malformed"]),
    provider: values.provider as FakeProvider,
  }).then(
    (server) => {
      console.log(`Fake LLM server listening on ${server.url}`);
      const shutdown = () => void server.stop().then(() => process.exit(0));
      process.on("SIGINT", shutdown);
      process.on("SIGTERM", shutdown);
    },
    (error: unknown) => {
      console.error(
        `Fake LLM server could not start: ${error instanceof Error ? error.message : String(error)}`,
      );
      process.exit(1);
    },
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) runCli();

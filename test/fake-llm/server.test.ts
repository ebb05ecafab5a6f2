import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { fakeFromSchema, promptWords } from "@/test/fake-llm/schema-faker";
import { seededRandom } from "@/test/fake-llm/seeded-random";
import { startFakeLlmServer, type FakeLlmServer } from "@/test/fake-llm/server";

let server: FakeLlmServer;

beforeAll(async () => {
  server = await startFakeLlmServer();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => {
  server.setOptions({
    latencyMs: 0,
    apiKey: null,
    failNext: [],
    rate500: 0,
    hangMs: 60_000,
    holdUntilInFlight: 0,
  });
  server.resetStats();
});

async function chat(body: object, url = server.url, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as ChatJson };
}

/** The parts of an OpenAI-style response (or error) the tests read; absent parts are simply undefined. */
interface ChatJson {
  choices: [{ message: { content: string }; finish_reason: string }];
  usage: { completion_tokens: number };
  error: { code: string };
}

const userTurn = (content: string) => [{ role: "user", content }];

describe("schema faker", () => {
  const schemas = {
    rubric: z.object({
      rubrics: z
        .array(z.object({ name: z.string(), actions: z.array(z.string()).min(3).max(3) }))
        .min(2)
        .max(5),
      score: z.number().int().min(1).max(10),
      ratio: z.number().min(0).max(1),
      verdict: z.enum(["better", "worse", "tie"]),
      note: z.string().max(40).nullable(),
      extra: z.boolean().optional(),
    }),
    skills: z.object({ useCase: z.string().min(20), skills: z.array(z.string()).min(5).max(8) }),
  };

  for (const [name, schema] of Object.entries(schemas)) {
    it(`produces values the ${name} schema accepts, for many seeds`, () => {
      const jsonSchema = z.toJSONSchema(schema) as Record<string, unknown>;
      for (let seed = 0; seed < 50; seed += 1) {
        const value = fakeFromSchema(jsonSchema, seededRandom(`seed ${seed}`), [
          "alpha",
          "beta",
          "gamma",
          "delta",
        ]);
        expect(schema.safeParse(value).error).toBeUndefined();
      }
    });
  }

  it("keeps strings in an array distinct and built from the prompt's words", () => {
    const jsonSchema = z.toJSONSchema(z.object({ items: z.array(z.string()).min(8).max(8) })) as Record<
      string,
      unknown
    >;
    const words = promptWords(["Write a marketing plan for a bakery"]);
    const value = fakeFromSchema(jsonSchema, seededRandom("distinct"), words) as { items: string[] };
    expect(new Set(value.items).size).toBe(8);
    for (const item of value.items) expect(item.toLowerCase()).toMatch(/marketing|plan|bakery|write/);
  });
});

describe("chat completions", () => {
  const structured = (model: string) => ({
    model,
    messages: userTurn("Name three skills for writing a business plan"),
    response_format: {
      type: "json_schema",
      json_schema: {
        name: "s",
        strict: true,
        schema: z.toJSONSchema(z.object({ skills: z.array(z.string()).min(3).max(3) })),
      },
    },
  });

  it("answers the same request the same way, and another model differently", async () => {
    const first = await chat(structured("fake-target"));
    const second = await chat(structured("fake-target"));
    const other = await chat(structured("fake-judge"));
    const content = first.json.choices[0].message.content as string;
    expect(second.json.choices[0].message.content).toBe(content);
    expect(other.json.choices[0].message.content).not.toBe(content);
    expect(JSON.parse(content).skills).toHaveLength(3);
    expect(first.json.usage.completion_tokens).toBe(Math.ceil(content.length / 4));
  });

  it("answers json_in_text requests with the JSON wrapped in prose", async () => {
    const schema = JSON.stringify(z.toJSONSchema(z.object({ answer: z.string() })));
    const { json } = await chat({
      model: "fake-target",
      messages: [
        {
          role: "system",
          content: `Respond with only a JSON object matching this JSON schema:\n\`\`\`json\n${schema}\n\`\`\``,
        },
        ...userTurn("Hello"),
      ],
    });
    const content = json.choices[0].message.content as string;
    expect(content).toMatch(/^Here is the JSON/);
    const block = /```json\n([\s\S]*?)\n```/.exec(content)?.[1];
    expect(typeof JSON.parse(block!).answer).toBe("string");
  });

  it("writes longer markdown for strong models and honours max_tokens", async () => {
    const strong = await chat({ model: "fake-strong", messages: userTurn("Explain sourdough baking") });
    const target = await chat({ model: "fake-target", messages: userTurn("Explain sourdough baking") });
    expect(strong.json.choices[0].message.content.length).toBeGreaterThan(
      target.json.choices[0].message.content.length,
    );
    expect(strong.json.choices[0].message.content).toMatch(/^## /);
    const cut = await chat({
      model: "fake-strong",
      messages: userTurn("Explain sourdough baking"),
      max_tokens: 5,
    });
    expect(cut.json.choices[0]).toMatchObject({ finish_reason: "length" });
    expect(cut.json.choices[0].message.content).toHaveLength(20);
  });

  it("refuses unknown models and wrong keys with OpenAI-style errors", async () => {
    const missing = await chat({ model: "gpt-unknown", messages: userTurn("hi") });
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe("model_not_found");
    server.setOptions({ apiKey: "sk-right" });
    const refused = await chat({ model: "fake-target", messages: userTurn("hi") }, server.url, {
      authorization: "Bearer sk-wrong",
    });
    expect(refused.status).toBe(401);
    expect(refused.json.error.code).toBe("invalid_api_key");
    const accepted = await chat({ model: "fake-target", messages: userTurn("hi") }, server.url, {
      authorization: "Bearer sk-right",
    });
    expect(accepted.status).toBe(200);
  });

  it("lists models", async () => {
    const response = await fetch(`${server.url}/models`);
    const body = (await response.json()) as { data: { id: string }[] };
    expect(body.data.map((model) => model.id)).toContain("fake-target");
  });
});

describe("faults", () => {
  it("draws random faults from a seed, so a run is reproducible", async () => {
    const statuses = async () => {
      const local = await startFakeLlmServer({ rate500: 0.5, faultSeed: 7 });
      const seen: number[] = [];
      for (let index = 0; index < 20; index += 1)
        seen.push((await chat({ model: "fake-target", messages: userTurn(`q${index}`) }, local.url)).status);
      await local.stop();
      return seen;
    };
    const first = await statuses();
    expect(first).toContain(500);
    expect(first).toContain(200);
    expect(await statuses()).toEqual(first);
  });

  it("plays scripted failures in order, with Retry-After headers", async () => {
    server.setOptions({ failNext: [{ status: 429, retryAfter: "2" }, { status: 503 }] });
    const limited = await chat({ model: "fake-target", messages: userTurn("a") });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2");
    expect((await chat({ model: "fake-target", messages: userTurn("a") })).status).toBe(503);
    expect((await chat({ model: "fake-target", messages: userTurn("a") })).status).toBe(200);
    expect(server.stats().byStatus).toEqual({ "429": 1, "503": 1, "200": 1 });
  });

  it("a hung request answers 504 after hangMs, and stop() closes hung sockets", async () => {
    server.setOptions({ failNext: [{ timeout: true }], hangMs: 100 });
    expect((await chat({ model: "fake-target", messages: userTurn("hang") })).status).toBe(504);

    const local = await startFakeLlmServer({ rateTimeout: 1 });
    const hung = chat({ model: "fake-target", messages: userTurn("hang") }, local.url).catch(
      (error: unknown) => error,
    );
    // stop() must not wait for the hung request: it hangs for 60 s, far beyond the test's own timeout.
    while (local.stats().inFlight === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    await local.stop();
    expect(await hung).toBeInstanceOf(Error);
  });
});

describe("load", () => {
  // Held until all 64 wait together: if the server could not hold 64 open requests at once, none would finish.
  it("serves 64 concurrent calls in parallel", async () => {
    server.setOptions({ latencyMs: 20, holdUntilInFlight: 64 });
    const results = await Promise.all(
      Array.from({ length: 64 }, (_, index) =>
        chat({ model: "fake-target", messages: userTurn(`load ${index}`) }),
      ),
    );
    expect(results.every((result) => result.status === 200)).toBe(true);
    expect(server.stats()).toMatchObject({ chatRequests: 64, inFlightMax: 64, inFlight: 0 });
  });

  it("holds requests only until the wanted number wait together", async () => {
    server.setOptions({ holdUntilInFlight: 2 });
    let firstDone = false;
    const first = chat({ model: "fake-target", messages: userTurn("one") }).then((result) => {
      firstDone = true;
      return result;
    });
    while (server.stats().chatRequests === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(firstDone).toBe(false);
    const second = await chat({ model: "fake-target", messages: userTurn("two") });
    expect([(await first).status, second.status]).toEqual([200, 200]);
    // Once open, later requests pass on their own.
    expect((await chat({ model: "fake-target", messages: userTurn("three") })).status).toBe(200);
  });
});

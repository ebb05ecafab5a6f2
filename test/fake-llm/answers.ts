// The fake server's answers: schema-shaped JSON, JSON wrapped in prose (json_in_text), or markdown prose.
import { fakeFromSchema, fakeSentence, promptWords } from "@/test/fake-llm/schema-faker";
import { pick, randomInt, seededRandom, type Random } from "@/test/fake-llm/seeded-random";

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: unknown }[];
  response_format?: { type?: string; json_schema?: { name?: string; schema?: Record<string, unknown> } };
  max_tokens?: number;
  max_completion_tokens?: number;
  seed?: number;
  temperature?: number;
}

export interface FakeAnswer {
  content: string;
  finishReason: "stop" | "length";
}

export function messageText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content
      .map((part) => (typeof part === "object" && part && "text" in part ? String(part.text) : ""))
      .join("\n");
  }
  return "";
}

/** The schema of a json_in_text request: a ```json block in a system message. */
export function schemaFromSystemPrompt(body: ChatRequestBody): Record<string, unknown> | null {
  for (const message of body.messages) {
    if (message.role !== "system") continue;
    const match = /```json\s*([\s\S]*?)```/.exec(messageText(message.content));
    if (!match?.[1]) continue;
    try {
      const parsed = JSON.parse(match[1]) as unknown;
      if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // not a schema block
    }
  }
  return null;
}

function markdownAnswer(body: ChatRequestBody, random: Random, words: string[]): string {
  const strong = body.model.toLowerCase().includes("strong");
  const context = { random, words, root: {} };
  const sections = strong ? randomInt(random, 3, 5) : 1;
  const parts: string[] = [];
  for (let section = 0; section < sections; section += 1) {
    parts.push(`## ${fakeSentence(context, 2, 5)}`);
    const paragraphs = strong ? randomInt(random, 2, 3) : randomInt(random, 1, 2);
    for (let paragraph = 0; paragraph < paragraphs; paragraph += 1) {
      const sentences = Array.from(
        { length: strong ? randomInt(random, 4, 7) : randomInt(random, 2, 3) },
        () => `${fakeSentence(context, 6, 14)}.`,
      );
      parts.push(sentences.join(" "));
    }
    if (strong) parts.push(Array.from({ length: 3 }, () => `- ${fakeSentence(context, 3, 8)}`).join("\n"));
  }
  return parts.join("\n\n");
}

/** What a broken model says when asked for JSON: cut-off JSON or JSON of the wrong shape. */
export function malformedContent(random: Random): string {
  return pick(random, [
    '{"answer": "this JSON was cut off',
    '{"unexpected_field": 42}',
    "I am sorry, I cannot produce JSON today.",
  ]);
}

/** A deterministic answer: the generator is seeded by the model and the messages (and the seed when given). */
export function answerFor(body: ChatRequestBody): FakeAnswer {
  const texts = body.messages.map((message) => messageText(message.content));
  const random = seededRandom(`${body.model}\n${JSON.stringify(texts)}\n${body.seed ?? ""}`);
  const words = promptWords(texts.filter((_, index) => body.messages[index]?.role !== "assistant"));
  // A grammar-constrained answer; a model also follows the fuller schema its prompt states, when there is one.
  const jsonSchema =
    body.response_format?.type === "json_schema"
      ? (schemaFromSystemPrompt(body) ?? body.response_format.json_schema?.schema)
      : undefined;
  if (jsonSchema)
    return { content: JSON.stringify(fakeFromSchema(jsonSchema, random, words)), finishReason: "stop" };
  const inTextSchema = schemaFromSystemPrompt(body);
  if (inTextSchema) {
    const json = JSON.stringify(fakeFromSchema(inTextSchema, random, words), null, 2);
    return {
      content: `Here is the JSON you asked for:\n\n\`\`\`json\n${json}\n\`\`\`\n\nLet me know if you need changes.`,
      finishReason: "stop",
    };
  }
  if (body.response_format?.type === "json_object") {
    return {
      content: JSON.stringify({ answer: fakeSentence({ random, words, root: {} }) }),
      finishReason: "stop",
    };
  }
  const content = markdownAnswer(body, random, words);
  const limit = body.max_completion_tokens ?? body.max_tokens;
  if (limit !== undefined && content.length > limit * 4)
    return { content: content.slice(0, limit * 4), finishReason: "length" };
  return { content, finishReason: "stop" };
}

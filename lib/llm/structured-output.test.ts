import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  extractJsonObject,
  parseStructuredText,
  prepareSchema,
  withJsonInTextInstruction,
} from "@/lib/llm/structured-output";

const schema = z.object({
  title: z.string(),
  tags: z.array(z.object({ name: z.string(), weight: z.number().optional() })).min(1),
  mood: z.enum(["calm", "busy"]).optional(),
  done: z.boolean().default(false),
});

describe("prepareSchema", () => {
  it("makes every object strict: all properties required, optional ones nullable, no extra properties", () => {
    const { strict } = prepareSchema(schema);
    expect(strict.$schema).toBeUndefined();
    expect(strict.required).toEqual(["title", "tags", "mood", "done"]);
    expect(strict.additionalProperties).toBe(false);
    const properties = strict.properties as Record<string, Record<string, unknown>>;
    expect(properties.mood).toEqual({
      anyOf: [{ type: "string", enum: ["calm", "busy"] }, { type: "null" }],
    });
    expect(properties.done).toEqual({ type: ["boolean", "null"] });
    const tagItems = (properties.tags as { items: Record<string, unknown> }).items;
    expect(tagItems.required).toEqual(["name", "weight"]);
    expect(tagItems.additionalProperties).toBe(false);
    expect((tagItems.properties as Record<string, unknown>).weight).toEqual({ type: ["number", "null"] });
  });

  it("refuses schemas whose root is not an object", () => {
    expect(() => prepareSchema(z.array(z.string()))).toThrow(/zod objects/);
  });
});

describe("parseStructuredText", () => {
  const prepared = prepareSchema(schema);

  it("turns the nulls that strict mode forces back into absent optional fields", () => {
    const text = JSON.stringify({ title: "T", tags: [{ name: "a", weight: null }], mood: null, done: null });
    expect(parseStructuredText(text, schema, prepared)).toEqual({
      ok: true,
      value: { title: "T", tags: [{ name: "a" }], done: false },
    });
  });

  it("reports where the JSON does not match", () => {
    const outcome = parseStructuredText('{"title": 5, "tags": []}', schema, prepared);
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.problem).toContain("title");
      expect(outcome.problem).toContain("tags");
    }
  });

  it("reports text without JSON", () => {
    expect(parseStructuredText("no JSON here", schema, prepared)).toEqual({
      ok: false,
      problem: "the reply does not contain a valid JSON object",
    });
  });
});

describe("extractJsonObject", () => {
  it("finds the object inside fences and prose, skipping braces that are not JSON", () => {
    const text = 'Sure {not json}. Here:\n```json\n{"a": "x } y", "b": {"c": [1, 2]}}\n```\nDone.';
    expect(extractJsonObject(text)).toEqual({ a: "x } y", b: { c: [1, 2] } });
  });

  it("returns undefined for a cut-off object", () => {
    expect(extractJsonObject('{"a": "never closed')).toBeUndefined();
  });
});

describe("withJsonInTextInstruction", () => {
  it("appends the schema to an existing system message, or adds one", () => {
    const { strict } = prepareSchema(schema);
    const withSystem = withJsonInTextInstruction(
      [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hi" },
      ],
      strict,
    );
    expect(withSystem).toHaveLength(2);
    expect(withSystem[0]!.content).toMatch(
      /^Be brief\.\n\nRespond with only a JSON object matching this JSON schema:\n```json\n/,
    );
    const withoutSystem = withJsonInTextInstruction([{ role: "user", content: "Hi" }], strict);
    expect(withoutSystem.map((message) => message.role)).toEqual(["system", "user"]);
    const block = /```json\n([\s\S]*)\n```/.exec(withoutSystem[0]!.content)?.[1];
    expect(JSON.parse(block!)).toEqual(strict);
  });
});

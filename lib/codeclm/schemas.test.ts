// Every structured prompt's schema must be usable as a strict JSON schema (OpenAI structured outputs): plain
// objects, every property required, no additional properties, no unions, only widely supported keywords.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildDecodePrompt } from "./decode";
import { buildEncodePrompt } from "./encode";
import { buildEvalJudgePrompt } from "./evaluate";
import { buildJudgePrompt } from "./filter";
import { buildImprovePrompt } from "./improve";
import { buildPlausibilityPrompt } from "./plausibility";
import type { PromptSpec } from "./prompt-types";
import { buildRespondPrompt } from "./respond";
import { buildRubricsPrompt } from "./rubrics";

const metadata = { useCase: "code generation", skills: ["python"] };
const specs: Array<PromptSpec<unknown>> = [
  buildEncodePrompt({ instruction: "x" }),
  buildPlausibilityPrompt([metadata]),
  buildRubricsPrompt(metadata),
  buildDecodePrompt(metadata, { count: 3 }),
  buildImprovePrompt({ instruction: "x", action: "y" }),
  buildJudgePrompt("q", "a", "b"),
  buildEvalJudgePrompt("q", "a", "b"),
];

const allowedKeywords = new Set([
  "$schema",
  "type",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "description",
]);

function checkStrict(node: Record<string, unknown>, path: string): void {
  for (const keyword of Object.keys(node)) {
    expect(allowedKeywords.has(keyword), `${path}: unsupported keyword ${keyword}`).toBe(true);
  }
  if (node.type === "object") {
    const properties = node.properties as Record<string, Record<string, unknown>>;
    expect(node.additionalProperties, `${path}: additionalProperties`).toBe(false);
    expect([...(node.required as string[])].sort(), `${path}: all required`).toEqual(
      Object.keys(properties).sort(),
    );
    for (const [key, child] of Object.entries(properties)) checkStrict(child, `${path}.${key}`);
  }
  if (node.type === "array") checkStrict(node.items as Record<string, unknown>, `${path}[]`);
}

describe("structured prompt schemas", () => {
  it.each(specs.map((spec) => [spec.name, spec] as const))("%s is strict-JSON-schema friendly", (_, spec) => {
    expect(spec.schema).not.toBeNull();
    const jsonSchema = z.toJSONSchema(spec.schema!) as Record<string, unknown>;
    expect(jsonSchema.type).toBe("object");
    checkStrict(jsonSchema, spec.name);
  });

  it("every prompt carries a versioned name and ends with a user message", () => {
    const all = [...specs, buildRespondPrompt({ instruction: "x" })];
    expect(new Set(all.map((spec) => spec.name)).size).toBe(all.length);
    for (const spec of all) {
      expect(spec.version).toMatch(new RegExp(`^${spec.name}@\\d+$`));
      expect(spec.messages.at(-1)!.role).toBe("user");
      for (const message of spec.messages) expect(message.content.trim().length).toBeGreaterThan(0);
    }
  });
});

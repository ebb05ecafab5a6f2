// Structured output: zod schema -> strict JSON schema for response_format, and model text -> validated value.
import { z, type ZodType } from "zod";
import type { LlmMessage } from "@/lib/llm/types";

export type JsonSchema = { [key: string]: unknown };

export interface PreparedSchema {
  /** Sent to the model: every property required, optional ones nullable, additionalProperties false. */
  strict: JsonSchema;
  /** What zod itself says; used to tell which nulls stand for "absent". */
  original: JsonSchema;
  /** `strict` without the keywords some servers' grammars refuse (minItems, format, ranges…): a fallback. */
  simplified: JsonSchema;
}

const nestedSchemaLists = ["anyOf", "oneOf", "allOf", "prefixItems"] as const;
const nestedSchemaMaps = ["properties", "$defs", "definitions"] as const;
const droppedKeywords = ["$schema", "default"];

function isObject(value: unknown): value is JsonSchema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function makeNullable(schema: JsonSchema): JsonSchema {
  const type = schema.type;
  if (typeof type === "string" && !Array.isArray(schema.enum))
    return { ...schema, type: type === "null" ? type : [type, "null"] };
  if (Array.isArray(type) && !Array.isArray(schema.enum))
    return type.includes("null") ? schema : { ...schema, type: [...type, "null"] };
  return { anyOf: [schema, { type: "null" }] };
}

function strictify(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strictify);
  if (!isObject(node)) return node;
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (droppedKeywords.includes(key)) continue;
    if ((nestedSchemaMaps as readonly string[]).includes(key) && isObject(value)) {
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, inner]) => [name, strictify(inner)]),
      );
    } else if ((nestedSchemaLists as readonly string[]).includes(key) || key === "items" || key === "not") {
      result[key] = strictify(value);
    } else {
      result[key] = value;
    }
  }
  if (isObject(result.properties)) {
    const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
    const properties = result.properties;
    for (const name of Object.keys(properties)) {
      if (!required.has(name)) properties[name] = makeNullable(properties[name] as JsonSchema);
    }
    result.required = Object.keys(properties);
    result.additionalProperties = false;
  } else if (result.type === "object") {
    result.properties = {};
    result.required = [];
    result.additionalProperties = false;
  }
  return result;
}

/** Builds the JSON schemas for a zod schema. The root must be an object (OpenAI's strict mode requires it). */
export function prepareSchema(schema: ZodType): PreparedSchema {
  const original = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
  delete original.$schema;
  if (original.type !== "object") {
    throw new Error("Structured output schemas must be zod objects at the root");
  }
  const strict = strictify(original) as JsonSchema;
  return { original, strict, simplified: simplifySchema(strict) };
}

// Refused by xgrammar in vLLM 0.8.x (vllm-project/vllm#16880) or not permitted by OpenAI's strict mode.
const constraintKeywords = new Set([
  "minItems",
  "maxItems",
  "uniqueItems",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minProperties",
  "maxProperties",
  "propertyNames",
  "patternProperties",
  "not",
  "if",
  "then",
  "else",
]);

/** The schema's shape without its value constraints; zod still checks every constraint on the answer. */
export function simplifySchema(node: JsonSchema): JsonSchema {
  const result: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (constraintKeywords.has(key)) continue;
    if ((nestedSchemaMaps as readonly string[]).includes(key) && isObject(value)) {
      result[key] = Object.fromEntries(
        Object.entries(value).map(([name, inner]) => [name, isObject(inner) ? simplifySchema(inner) : inner]),
      );
    } else if ((nestedSchemaLists as readonly string[]).includes(key) && Array.isArray(value)) {
      result[key] = value.map((inner) => (isObject(inner) ? simplifySchema(inner) : inner));
    } else if ((key === "items" || key === "additionalProperties") && isObject(value)) {
      result[key] = simplifySchema(value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let target: unknown = root;
  for (const part of ref.slice(2).split("/")) target = isObject(target) ? target[part] : undefined;
  return isObject(target) ? target : schema;
}

/** Strict mode makes optional fields nullable; turn those nulls back into absent keys before zod sees them. */
export function dropNullOptionals(value: unknown, schema: JsonSchema, root: JsonSchema = schema): unknown {
  const node = resolveRef(schema, root);
  if (Array.isArray(value)) {
    const items = node.items;
    return isObject(items) ? value.map((item) => dropNullOptionals(item, items, root)) : value;
  }
  if (!isObject(value)) return value;
  const variants = (node.anyOf ?? node.oneOf) as JsonSchema[] | undefined;
  if (Array.isArray(variants)) {
    const objectVariant = variants
      .map((variant) => resolveRef(variant, root))
      .find((variant) => isObject(variant.properties));
    return objectVariant ? dropNullOptionals(value, objectVariant, root) : value;
  }
  if (!isObject(node.properties)) return value;
  const properties = node.properties;
  const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
  const result: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (inner === null && !required.has(key)) continue;
    const innerSchema = properties[key];
    result[key] = isObject(innerSchema) ? dropNullOptionals(inner, innerSchema, root) : inner;
  }
  return result;
}

/** The first balanced {...} in text that parses as JSON, tolerating prose and code fences around it. */
export function extractJsonObject(text: string): unknown {
  const trimmed = text.trim();
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    // fall through to scanning
  }
  for (let start = text.indexOf("{"); start !== -1; start = text.indexOf("{", start + 1)) {
    const end = matchingBrace(text, start);
    if (end === -1) continue;
    try {
      return JSON.parse(text.slice(start, end + 1)) as unknown;
    } catch {
      // keep scanning: braces in prose can come before the object
    }
  }
  return undefined;
}

function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let index = start; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{") depth += 1;
    else if (char === "}") {
      depth -= 1;
      if (depth === 0) return index;
    }
  }
  return -1;
}

export type ParseOutcome<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Parses and validates a structured answer; `problem` is what the repair prompt tells the model. */
export function parseStructuredText<T>(
  text: string,
  schema: ZodType<T>,
  prepared: PreparedSchema,
): ParseOutcome<T> {
  const json = extractJsonObject(text);
  if (json === undefined || !isObject(json)) {
    return { ok: false, problem: "the reply does not contain a valid JSON object" };
  }
  const parsed = schema.safeParse(dropNullOptionals(json, prepared.original));
  if (parsed.success) return { ok: true, value: parsed.data };
  const issues = parsed.error.issues
    .slice(0, 8)
    .map((issue) => `${issue.path.length ? issue.path.join(".") : "(root)"}: ${issue.message}`);
  return { ok: false, problem: `the JSON does not match the schema: ${issues.join("; ")}` };
}

export const jsonInTextLead = "Respond with only a JSON object matching this JSON schema:";

/** json_in_text mode: the schema goes into the system prompt instead of response_format. */
export function withJsonInTextInstruction(messages: LlmMessage[], strictSchema: JsonSchema): LlmMessage[] {
  const instruction = `${jsonInTextLead}\n\`\`\`json\n${JSON.stringify(strictSchema, null, 2)}\n\`\`\``;
  const [first, ...rest] = messages;
  if (first?.role === "system")
    return [{ role: "system", content: `${first.content}\n\n${instruction}` }, ...rest];
  return [{ role: "system", content: instruction }, ...messages];
}

/** The one repair turn: show the model its bad answer and what was wrong with it. */
export function withRepairRequest(messages: LlmMessage[], badText: string, problem: string): LlmMessage[] {
  return [
    ...messages,
    { role: "assistant", content: badText },
    {
      role: "user",
      content: `Your previous reply could not be used: ${problem}. Reply again with only the corrected JSON object that matches the schema, with no other text.`,
    },
  ];
}

// Produces a value that satisfies a JSON schema, with strings that read like text made of the prompt's words.
import { pick, randomInt, randomToken, type Random } from "@/test/fake-llm/seeded-random";

type Schema = { [key: string]: unknown };

const fallbackWords = [
  "answer",
  "detail",
  "example",
  "result",
  "summary",
  "step",
  "idea",
  "plan",
  "point",
  "note",
];
const stopWords = new Set([
  "the",
  "and",
  "for",
  "with",
  "that",
  "this",
  "you",
  "your",
  "are",
  "from",
  "into",
  "will",
  "json",
  "schema",
  "respond",
  "only",
  "object",
  "matching",
]);

/** Distinct lowercase words of the prompt, without any fenced schema block. */
export function promptWords(texts: string[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    const withoutFences = text.replace(/```[\s\S]*?```/g, " ");
    for (const match of withoutFences.matchAll(/[A-Za-z][A-Za-z'-]{2,}/g)) {
      const word = match[0].toLowerCase();
      if (!stopWords.has(word)) words.add(word);
    }
  }
  return words.size >= 3 ? [...words] : [...words, ...fallbackWords];
}

export interface FakerContext {
  random: Random;
  words: string[];
  root: Schema;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function resolve(schema: Schema, root: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#")) return schema;
  let target: unknown = root;
  for (const part of ref.replace(/^#\/?/, "").split("/").filter(Boolean))
    target = isSchema(target) ? target[part] : undefined;
  return isSchema(target) ? target : {};
}

/** A sentence of prompt words plus a random token, fitted to minLength/maxLength. */
export function fakeSentence(
  context: FakerContext,
  minWords = 4,
  maxWords = 12,
  minLength = 0,
  maxLength = Infinity,
): string {
  const count = randomInt(context.random, minWords, maxWords);
  const words = Array.from({ length: count }, () => pick(context.random, context.words));
  let text = `${words.join(" ")} ${randomToken(context.random)}`;
  text = text.charAt(0).toUpperCase() + text.slice(1);
  while (text.length < minLength) text += ` ${pick(context.random, context.words)}`;
  if (text.length > maxLength) text = text.slice(0, maxLength);
  return text;
}

function numberIn(schema: Schema, random: Random, integer: boolean): number {
  const exclusiveMin = typeof schema.exclusiveMinimum === "number" ? schema.exclusiveMinimum : undefined;
  const exclusiveMax = typeof schema.exclusiveMaximum === "number" ? schema.exclusiveMaximum : undefined;
  let min = typeof schema.minimum === "number" ? schema.minimum : (exclusiveMin ?? 0);
  let max = typeof schema.maximum === "number" ? schema.maximum : (exclusiveMax ?? Math.max(min, 0) + 100);
  if (integer) {
    min = Math.ceil(exclusiveMin !== undefined && min === exclusiveMin ? min + 1e-9 : min);
    max = Math.floor(exclusiveMax !== undefined && max === exclusiveMax ? max - 1e-9 : max);
    return randomInt(random, min, max);
  }
  const value = min + random() * (max - min);
  const rounded = Math.round(value * 100) / 100;
  return rounded >= min && rounded <= max && rounded !== exclusiveMin && rounded !== exclusiveMax
    ? rounded
    : value;
}

function chooseType(schema: Schema): string | undefined {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return (type.find((entry) => entry !== "null") ?? type[0]) as string | undefined;
  if (isSchema(schema.properties)) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
}

export function fakeValue(schemaInput: Schema, context: FakerContext, depth = 0): unknown {
  const schema = resolve(schemaInput, context.root);
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    const nonNull = schema.enum.filter((entry) => entry !== null);
    return pick(context.random, nonNull.length > 0 ? nonNull : schema.enum);
  }
  const variants = (schema.anyOf ?? schema.oneOf) as unknown;
  if (Array.isArray(variants) && variants.length > 0) {
    const usable = variants
      .filter(isSchema)
      .filter((variant) => resolve(variant, context.root).type !== "null");
    return fakeValue(usable[0] ?? (variants[0] as Schema), context, depth);
  }
  if (Array.isArray(schema.allOf) && isSchema(schema.allOf[0]))
    return fakeValue(schema.allOf[0], context, depth);

  switch (chooseType(schema)) {
    case "object":
      return fakeObject(schema, context, depth);
    case "array":
      return fakeArray(schema, context, depth);
    case "integer":
      return numberIn(schema, context.random, true);
    case "number":
      return numberIn(schema, context.random, false);
    case "boolean":
      return context.random() < 0.5;
    case "null":
      return null;
    default: {
      const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
      const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
      return fakeSentence(context, 4, 12, minLength, maxLength);
    }
  }
}

function fakeObject(schema: Schema, context: FakerContext, depth: number): Record<string, unknown> {
  const properties = isSchema(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const result: Record<string, unknown> = {};
  for (const [name, propertySchema] of Object.entries(properties)) {
    // Optional properties appear half the time; deep optional nesting is cut off so generation ends.
    if (!required.has(name) && (depth > 4 || context.random() < 0.5)) continue;
    result[name] = fakeValue(isSchema(propertySchema) ? propertySchema : {}, context, depth + 1);
  }
  return result;
}

function fakeArray(schema: Schema, context: FakerContext, depth: number): unknown[] {
  const minItems = typeof schema.minItems === "number" ? schema.minItems : 1;
  const maxItems = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(minItems, 4);
  const count = randomInt(context.random, minItems, Math.min(maxItems, minItems + 6));
  const itemSchema = isSchema(schema.items) ? schema.items : {};
  const items: unknown[] = [];
  const seen = new Set<string>();
  // Items are kept distinct (downstream steps treat lists of strings as sets).
  for (let tries = 0; items.length < count && tries < count * 20; tries += 1) {
    const item = fakeValue(itemSchema, context, depth + 1);
    const key = JSON.stringify(item);
    if (seen.has(key)) continue;
    seen.add(key);
    items.push(item);
  }
  return items;
}

export function fakeFromSchema(schema: Schema, random: Random, words: string[]): unknown {
  return fakeValue(schema, { random, words, root: schema });
}

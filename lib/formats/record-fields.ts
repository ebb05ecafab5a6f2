// Field paths inside imported records: which paths a user can pick, how a path reads a value, and which
// paths are the likely instruction and input. Nested objects become "a.b" and an array stands for its first
// element, "a[0]" (Self-Instruct's "instances[0].input", FastChat's "choices[0].turns[0]"), down to a few levels.

export type JsonRecord = Record<string, unknown>;

const maxDepth = 4;
const previewValueLength = 500;

function isPlainObject(value: unknown): value is JsonRecord {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Adds the selectable leaf paths of `record` to `paths` (insertion order = first appearance). */
export function collectFieldPaths(record: JsonRecord, paths: Set<string>): void {
  visit(record, "", 0, (path) => paths.add(path));
}

type OnLeaf = (path: string, value: unknown) => void;

function visit(value: JsonRecord, prefix: string, depth: number, onLeaf: OnLeaf) {
  for (const key of Object.keys(value))
    visitValue(value[key], prefix ? `${prefix}.${key}` : key, depth, onLeaf);
}

function visitValue(value: unknown, path: string, depth: number, onLeaf: OnLeaf) {
  if (isPlainObject(value)) {
    if (depth + 1 < maxDepth) visit(value, path, depth + 1, onLeaf);
    return;
  }
  if (Array.isArray(value)) {
    // The first element stands for the array: it is where records keep their one example or first turn.
    if (value.length > 0 && depth + 1 < maxDepth) visitValue(value[0], `${path}[0]`, depth + 1, onLeaf);
    return;
  }
  onLeaf(path, value);
}

/** The record flattened to path → display string, for a preview table. Long values are shortened. */
export function flattenForPreview(record: JsonRecord): Record<string, string> {
  const flat: Record<string, string> = {};
  visit(record, "", 0, (path, value) => {
    const text = value === null || value === undefined ? "" : String(value);
    flat[path] = text.length > previewValueLength ? `${text.slice(0, previewValueLength)}…` : text;
  });
  return flat;
}

type PathSegment = string | number;

/** Splits "instances[0].input" into ["instances", 0, "input"]. */
export function parseFieldPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const part of path.split(".")) {
    const match = /^(.*?)((?:\[\d+\])*)$/.exec(part);
    const name = match?.[1] ?? part;
    if (name !== "") segments.push(name);
    for (const index of (match?.[2] ?? "").matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
  }
  return segments;
}

/**
 * Reads a field by path. A key that literally equals the path wins (CSV headers such as "a.b"), so compile
 * once with `compileFieldPath` and call the result per record.
 */
export function compileFieldPath(path: string): (record: JsonRecord) => unknown {
  const segments = parseFieldPath(path);
  return (record) => {
    if (Object.hasOwn(record, path)) return record[path];
    let current: unknown = record;
    for (const segment of segments) {
      if (typeof segment === "number") {
        if (!Array.isArray(current)) return undefined;
        current = current[segment];
      } else {
        if (!isPlainObject(current) || !Object.hasOwn(current, segment)) return undefined;
        current = current[segment];
      }
    }
    return current;
  };
}

const instructionFieldNames = [
  "instruction",
  "prompt",
  "question",
  "query",
  "text",
  "input",
  "turns[0]",
  "conversations[0].value",
  "messages[0].content",
  "content",
];
const inputFieldNames = ["instances[0].input", "input", "context", "instances[0].context"];

function stringValued(field: string, sample: JsonRecord[]): boolean {
  const read = compileFieldPath(field);
  return sample.some((record) => typeof read(record) === "string");
}

function findByName(
  fields: string[],
  names: string[],
  sample: JsonRecord[],
  exclude: string | null,
): string | null {
  for (const name of names) {
    const field = fields.find((candidate) => candidate.toLowerCase() === name && candidate !== exclude);
    if (field && stringValued(field, sample)) return field;
  }
  return null;
}

/** The likely instruction field: a well-known name, else the string field with the longest values. */
export function suggestInstructionField(fields: string[], sample: JsonRecord[]): string | null {
  const named = findByName(fields, instructionFieldNames, sample, null);
  if (named) return named;
  let best: string | null = null;
  let bestLength = 0;
  for (const field of fields) {
    const read = compileFieldPath(field);
    const values = sample.map(read).filter((value): value is string => typeof value === "string");
    if (values.length === 0) continue;
    const meanLength = values.reduce((sum, value) => sum + value.length, 0) / values.length;
    if (meanLength > bestLength) {
      best = field;
      bestLength = meanLength;
    }
  }
  return best;
}

export function suggestInputField(
  fields: string[],
  sample: JsonRecord[],
  instructionField: string | null,
): string | null {
  return findByName(fields, inputFieldNames, sample, instructionField);
}

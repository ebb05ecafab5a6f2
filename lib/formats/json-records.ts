// JSON Lines and JSON arrays read into records tagged with their physical line. A JSON array is split into its
// top-level elements by a small scanner first, so every element is parsed (and reported) on its own.
import type { JsonRecord } from "@/lib/formats/record-fields";
import type { IssueList } from "@/lib/formats/line-issues";

export interface LineRecord {
  /** 1-based physical line where the record starts. */
  line: number;
  record: JsonRecord;
}

export interface ReadRecords {
  records: LineRecord[];
  /** Records seen, including the ones that could not be read. */
  rowCount: number;
}

/** A JSON value as a record: objects as they are, a bare string as { text }. Anything else is refused. */
function toRecord(value: unknown): JsonRecord | null {
  if (typeof value === "string") return { text: value };
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return value as JsonRecord;
  return null;
}

export function describeJsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  return `a ${typeof value}`;
}

/** V8's JSON.parse message without the position and the quoted source text, plus the position if given. */
export function describeJsonError(error: unknown): { reason: string; position: number | null } {
  const message = error instanceof Error ? error.message : String(error);
  const positionMatch = / at position (\d+)(?: \(line \d+ column \d+\))?$/.exec(message);
  const position = positionMatch ? Number(positionMatch[1]) : null;
  let reason = positionMatch ? message.slice(0, positionMatch.index) : message;
  reason = reason
    .replace(/ in JSON$/, "")
    .replace(/, (?:\.\.\.)?"[\s\S]*"(?:\.\.\.)? is not valid JSON$/, "");
  return { reason, position };
}

function jsonParseIssue(error: unknown, source: string, startLine: number): string {
  const { reason, position } = describeJsonError(error);
  if (position === null) return `invalid JSON (${reason})`;
  let line = startLine;
  let lineStart = 0;
  for (let next = source.indexOf("\n"); next >= 0 && next < position; next = source.indexOf("\n", next + 1)) {
    line++;
    lineStart = next + 1;
  }
  const column = position - lineStart + 1;
  const where = source.includes("\n") ? `line ${line}, column ${column}` : `column ${column}`;
  return `invalid JSON (${reason} at ${where})`;
}

function addRecord(value: unknown, line: number, out: ReadRecords, issues: IssueList, what: string): void {
  const record = toRecord(value);
  if (record) out.records.push({ line, record });
  else issues.add(line, `${what} is ${describeJsonType(value)}, not a JSON object or string`);
}

/** One JSON value per line; blank lines are skipped. `text` uses "\n" line ends. */
export function readJsonLines(text: string, issues: IssueList): ReadRecords {
  const out: ReadRecords = { records: [], rowCount: 0 };
  let line = 0;
  for (let start = 0; start <= text.length;) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    line++;
    const raw = text.slice(start, end);
    start = end + 1;
    if (isBlank(raw)) continue;
    out.rowCount++;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      issues.add(line, jsonParseIssue(error, raw, line));
      continue;
    }
    addRecord(value, line, out, issues, "the line");
  }
  return out;
}

function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d && c !== 0xfeff) return false;
  }
  return true;
}

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === NEWLINE;
}

/** A JSON array of objects or strings; each element's line is the line where it starts. */
export function readJsonArray(text: string, issues: IssueList): ReadRecords {
  const out: ReadRecords = { records: [], rowCount: 0 };
  let i = 0;
  let line = 1;
  for (; i < text.length && isSpace(text.charCodeAt(i)); i++) if (text.charCodeAt(i) === NEWLINE) line++;
  if (text.charCodeAt(i) !== OPEN_BRACKET) {
    issues.add(line, notAnArrayReason(text));
    return out;
  }
  i++;
  const finishElement = (source: string, elementLine: number) => {
    out.rowCount++;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      const missingComma = describeJsonError(error).reason.startsWith(
        "Unexpected non-whitespace character after JSON",
      );
      issues.add(
        elementLine,
        missingComma
          ? "two array elements without a comma between them"
          : jsonParseIssue(error, source, elementLine),
      );
      return;
    }
    addRecord(value, elementLine, out, issues, "the array element");
  };

  let depth = 0;
  let inString = false;
  let elementStart = -1;
  let elementLine = line;
  let sawComma = false;
  let closed = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) {
        i++;
        if (text.charCodeAt(i) === NEWLINE) line++;
      } else if (c === QUOTE) inString = false;
      else if (c === NEWLINE) line++;
      continue;
    }
    if (isSpace(c)) {
      if (c === NEWLINE) line++;
      continue;
    }
    if (depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
      if (elementStart >= 0) finishElement(text.slice(elementStart, i), elementLine);
      else if (c === COMMA || sawComma)
        issues.add(line, c === COMMA ? "extra comma in the array" : "trailing comma before ]");
      elementStart = -1;
      if (c === CLOSE_BRACKET) {
        closed = true;
        i++;
        break;
      }
      sawComma = true;
      continue;
    }
    if (elementStart < 0) {
      elementStart = i;
      elementLine = line;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++;
    // A stray closer stays inside the element, where JSON.parse reports it, instead of ending the array.
    else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && depth > 0) depth--;
  }
  if (!closed) {
    if (elementStart >= 0) finishElement(text.slice(elementStart), elementLine);
    issues.add(line, "the JSON array is not closed with ]");
    return out;
  }
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) line++;
    else if (!isSpace(c)) {
      issues.add(line, "unexpected text after the closing ] of the JSON array");
      break;
    }
  }
  return out;
}

function notAnArrayReason(text: string): string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return "expected a JSON array of objects or strings, starting with [";
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const arrayKey = Object.keys(value).find((key) => Array.isArray((value as JsonRecord)[key]));
    if (arrayKey !== undefined) {
      return `expected a JSON array of objects or strings, found an object (its "${arrayKey}" field holds an array: save that array on its own)`;
    }
  }
  return `expected a JSON array of objects or strings, found ${describeJsonType(value)}`;
}

// Seed instruction files: decode → parse (detect the format, list the fields, preview) → extract the seeds
// from the fields the user picked. Pure: no database. A file with any bad record is refused whole, so callers
// import nothing while `errors` is non-empty.
import { repairText } from "@/lib/formats/text-repair";
import { readDelimited, guessCsvDelimiter } from "@/lib/formats/csv-records";
import { decodeTextFile, sha256Hex, type DecodedTextFile } from "@/lib/formats/decode-text-file";
import {
  describeJsonType,
  readJsonArray,
  readJsonLines,
  type LineRecord,
  type ReadRecords,
} from "@/lib/formats/json-records";
import { SEED_FILE_MAX_BYTES } from "@/lib/formats/seed-file-limit";
import { formatIssueMessages, IssueList, mergeIssues, type LineIssue } from "@/lib/formats/line-issues";
import {
  collectFieldPaths,
  compileFieldPath,
  flattenForPreview,
  suggestInputField,
  suggestInstructionField,
} from "@/lib/formats/record-fields";

export const seedFileFormats = ["jsonl", "json", "csv", "tsv", "text"] as const;
export type SeedFileFormat = (typeof seedFileFormats)[number];
export type SeedFileFormatOption = SeedFileFormat | "auto";

export { SEED_FILE_MAX_BYTES };
const previewRowCount = 10;

/** See decodeTextFile: throws AppError("invalid_input") for empty, oversized, binary or non-UTF-8 files. */
export function decodeSeedFile(bytes: Uint8Array, fileName: string): DecodedTextFile {
  return decodeTextFile(bytes, fileName, { maxBytes: SEED_FILE_MAX_BYTES });
}

const formatByExtension: Record<string, SeedFileFormat> = {
  jsonl: "jsonl",
  ndjson: "jsonl",
  json: "json",
  csv: "csv",
  tsv: "tsv",
  tab: "tsv",
  txt: "text",
};

function firstNonSpace(text: string): { char: string; index: number } {
  const index = text.search(/\S/);
  return { char: index < 0 ? "" : text.charAt(index), index };
}

/**
 * The format from the file name's extension, refined by content (a ".json" file holding one object per line
 * is JSON Lines). Without a known extension (pasted text): JSON when it clearly is, else plain text.
 */
export function detectSeedFileFormat(text: string, fileName?: string | null): SeedFileFormat {
  const extension = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  const byExtension = extension ? formatByExtension[extension] : undefined;
  const first = firstNonSpace(text);
  if (byExtension === "json") return first.char === "{" && !parsesAsJson(text) ? "jsonl" : "json";
  if (byExtension === "jsonl") return first.char === "[" && parsesAsJson(text) ? "json" : "jsonl";
  if (byExtension) return byExtension;
  const last = text.trimEnd().slice(-1);
  if (first.char === "[" && last === "]") return "json";
  if (first.char === "{") {
    const lineEnd = text.indexOf("\n", first.index);
    const firstLine = (lineEnd < 0 ? text : text.slice(0, lineEnd)).trimEnd();
    if (firstLine.endsWith("}") || parsesAsJson(text)) return "jsonl";
  }
  return "text";
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

export interface ParsedSeedFile {
  fileName: string | null;
  format: SeedFileFormat;
  /** Records in the file (non-blank lines, array elements, CSV data rows), including unreadable ones. */
  rowCount: number;
  /** Selectable field paths, in order of first appearance, e.g. "instruction", "instances[0].input". */
  fields: string[];
  /** The first records flattened to field → string, for a preview table. */
  preview: Record<string, string>[];
  suggestedInstructionField: string | null;
  suggestedInputField: string | null;
  /** The first 20 problems in line order; `errorCount` counts all of them. */
  errors: LineIssue[];
  errorCount: number;
  /** Every readable record with its line: what extractSeeds reads. Too big to send to a browser. */
  records: LineRecord[];
}

export type SeedFileSummary = Omit<ParsedSeedFile, "records">;

/** The parse result without its records: what a server action returns for the preview. */
export function summarizeSeedFile(parsed: ParsedSeedFile): SeedFileSummary {
  const { records: _records, ...summary } = parsed;
  return summary;
}

function normalizeLineEnds(text: string): string {
  const withoutBom = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return withoutBom.includes("\r") ? withoutBom.replace(/\r\n?/g, "\n") : withoutBom;
}

function readPlainText(text: string): ReadRecords {
  const records: LineRecord[] = [];
  text.split("\n").forEach((line, index) => {
    if (line.trim() !== "") records.push({ line: index + 1, record: { text: line } });
  });
  return { records, rowCount: records.length };
}

export function parseSeedFile(
  rawText: string,
  options: { fileName?: string | null; format?: SeedFileFormatOption } = {},
): ParsedSeedFile {
  const text = normalizeLineEnds(rawText);
  const fileName = options.fileName ?? null;
  const format =
    !options.format || options.format === "auto" ? detectSeedFileFormat(text, fileName) : options.format;
  const issues = new IssueList();
  let read: ReadRecords;
  let fields: string[];
  if (format === "csv" || format === "tsv") {
    const delimited = readDelimited(text, format === "tsv" ? "\t" : guessCsvDelimiter(text), issues);
    read = delimited;
    fields = delimited.header;
  } else {
    read =
      format === "jsonl"
        ? readJsonLines(text, issues)
        : format === "json"
          ? readJsonArray(text, issues)
          : readPlainText(text);
    const paths = new Set<string>();
    for (const { record } of read.records) collectFieldPaths(record, paths);
    fields = [...paths];
  }
  if (read.rowCount === 0 && issues.count === 0) {
    issues.add(
      null,
      format === "csv" || format === "tsv"
        ? "the file has a header row but no data rows"
        : "the file holds no records",
    );
  }
  const sample = read.records.slice(0, previewRowCount).map((row) => row.record);
  const suggestedInstructionField = suggestInstructionField(fields, sample);
  return {
    fileName,
    format,
    rowCount: read.rowCount,
    fields,
    preview: sample.map(flattenForPreview),
    suggestedInstructionField,
    suggestedInputField: suggestInputField(fields, sample, suggestedInstructionField),
    errors: issues.issues,
    errorCount: issues.count,
    records: read.records,
  };
}

export interface ExtractedSeed {
  instruction: string;
  input: string;
  /** 1-based line the record starts on. */
  line: number;
}

export interface ExtractSeedsResult {
  seeds: ExtractedSeed[];
  /** Parse and extraction problems together, first 20 in line order; import nothing when non-empty. */
  errors: LineIssue[];
  errorCount: number;
  /** Seeds identical (instruction and input) to an earlier one in the same file. */
  duplicatesInFile: number;
}

/**
 * Trimmed, with "\r\n" turned into "\n" and lone surrogates or NUL (a "\ud800" JSON escape) repaired to U+FFFD;
 * inner whitespace and newlines are kept.
 */
export function normalizeSeedText(text: string): string {
  const trimmed = repairText(text).trim();
  return trimmed.includes("\r") ? trimmed.replace(/\r\n?/g, "\n") : trimmed;
}

export function extractSeeds(
  parsed: ParsedSeedFile,
  options: { instructionField: string; inputField?: string | null },
): ExtractSeedsResult {
  const { instructionField } = options;
  const inputField = options.inputField || null;
  const issues = new IssueList();
  // With no readable record there is nothing to look a field up in: the parse errors say why.
  const fields = new Set(parsed.fields);
  const hasRecords = parsed.records.length > 0;
  if (hasRecords && !fields.has(instructionField))
    issues.add(null, `the file has no field "${instructionField}"`);
  if (hasRecords && inputField !== null && !fields.has(inputField))
    issues.add(null, `the file has no field "${inputField}"`);
  if (inputField === instructionField)
    issues.add(null, "the instruction and the input must come from different fields");
  if (issues.count > 0) return { seeds: [], ...merged(parsed, issues), duplicatesInFile: 0 };

  const readInstruction = compileFieldPath(instructionField);
  const readInput = inputField === null ? null : compileFieldPath(inputField);
  const seeds: ExtractedSeed[] = [];
  const seen = new Set<string>();
  let duplicatesInFile = 0;
  for (const { line, record } of parsed.records) {
    const instruction = checkedText(readInstruction(record), instructionField, true);
    if (typeof instruction !== "string") {
      issues.add(line, instruction.problem);
      continue;
    }
    const input = readInput ? checkedText(readInput(record), inputField!, false) : "";
    if (typeof input !== "string") {
      issues.add(line, input.problem);
      continue;
    }
    const key = `${instruction}\u0000${input}`;
    if (seen.has(key)) duplicatesInFile++;
    else seen.add(key);
    seeds.push({ instruction, input, line });
  }
  return { seeds, ...merged(parsed, issues), duplicatesInFile };
}

function merged(parsed: ParsedSeedFile, issues: IssueList): { errors: LineIssue[]; errorCount: number } {
  const { issues: errors, count } = mergeIssues({ issues: parsed.errors, count: parsed.errorCount }, issues);
  return { errors, errorCount: count };
}

/** The field's text, or why it cannot be used. An optional (input) field may be missing or null. */
function checkedText(value: unknown, field: string, required: boolean): string | { problem: string } {
  if (value === undefined || value === null) {
    if (!required) return "";
    return { problem: value === null ? `field "${field}" is null` : `missing field "${field}"` };
  }
  if (typeof value !== "string")
    return { problem: `field "${field}" is ${describeJsonType(value)}, not a string` };
  if (value.includes("\u0000"))
    return { problem: `field "${field}" contains a NUL character (\\u0000), which cannot be stored` };
  const text = normalizeSeedText(value);
  if (required && text === "") return { problem: `field "${field}" is empty` };
  return text;
}

/** The user-facing error lines, ending with "…and 37 more" when some were left out. */
export function seedFileErrorMessages(result: { errors: LineIssue[]; errorCount: number }): string[] {
  return formatIssueMessages(result.errors, result.errorCount);
}

/** sha256 hex of the normalized instruction and input: exact duplicates share it. */
export function seedContentHash(instruction: string, input: string): string {
  // NUL cannot occur in stored text, so it separates the two parts unambiguously.
  return sha256Hex(`${normalizeSeedText(instruction)}\u0000${normalizeSeedText(input)}`);
}

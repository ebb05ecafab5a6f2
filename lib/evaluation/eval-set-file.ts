// Evaluation set files go through the seed importers (decode → parse → extract, per-line errors, all or nothing)
// and add what evaluation needs on top: an optional category per instruction (for per-category CRR) and the
// record's own id. Pure apart from the AppError it throws for a refused file.
import { AppError } from "@/lib/errors";
import { describeJsonType } from "@/lib/formats/json-records";
import { IssueList, mergeIssues, type LineIssue } from "@/lib/formats/line-issues";
import { compileFieldPath, type JsonRecord } from "@/lib/formats/record-fields";
import {
  decodeSeedFile,
  extractSeeds,
  parseSeedFile,
  seedContentHash,
  seedFileErrorMessages,
  summarizeSeedFile,
  type ParsedSeedFile,
  type SeedFileFormatOption,
  type SeedFileSummary,
} from "@/lib/formats/seed-file";

export interface EvalSetFields {
  instructionField: string;
  inputField?: string | null;
  /** Groups the per-category CRR (e.g. Vicuna's "category", WizardLM's "Skill"). */
  categoryField?: string | null;
  /** The record's own id (e.g. "question_id"), shown in the drill-down. */
  idField?: string | null;
}

export interface EvalItem {
  instruction: string;
  input: string;
  category: string | null;
  sourceId: string | null;
  /** Same hash as a seed's: an evaluation instruction that is also a seed has the same one. */
  contentHash: string;
  line: number;
}

export interface ExtractEvalItemsResult {
  items: EvalItem[];
  errors: LineIssue[];
  errorCount: number;
}

const categoryFieldNames = [
  "category",
  "categories",
  "motivation_app",
  "skill",
  "domain",
  "task_type",
  "type",
];
const idFieldNames = ["question_id", "id", "idx", "uid"];

function isLabel(value: unknown): boolean {
  return (typeof value === "string" && value.trim() !== "") || typeof value === "number";
}

function suggestByName(
  fields: readonly string[],
  names: readonly string[],
  sample: readonly JsonRecord[],
): string | null {
  for (const name of names) {
    const field = fields.find((candidate) => candidate.toLowerCase() === name);
    if (field && sample.some((record) => isLabel(compileFieldPath(field)(record)))) return field;
  }
  return null;
}

export function suggestCategoryField(parsed: Pick<ParsedSeedFile, "fields" | "records">): string | null {
  const sample = parsed.records.slice(0, 20).map((row) => row.record);
  return suggestByName(parsed.fields, categoryFieldNames, sample);
}

export function suggestIdField(parsed: Pick<ParsedSeedFile, "fields" | "records">): string | null {
  const sample = parsed.records.slice(0, 20).map((row) => row.record);
  return suggestByName(parsed.fields, idFieldNames, sample);
}

/** A label field's text: strings and numbers; absent or null is no label; anything else is a problem. */
function labelOf(value: unknown, field: string): string | null | { problem: string } {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return String(value);
  if (typeof value !== "string")
    return { problem: `field "${field}" is ${describeJsonType(value)}, not a label` };
  const text = value.trim();
  return text === "" ? null : text.slice(0, 200);
}

/** The seed extraction (instruction + input, the same checks) plus category and id. */
export function extractEvalItems(parsed: ParsedSeedFile, fields: EvalSetFields): ExtractEvalItemsResult {
  const extracted = extractSeeds(parsed, {
    instructionField: fields.instructionField,
    inputField: fields.inputField,
  });
  const issues = new IssueList();
  const known = new Set(parsed.fields);
  for (const field of [fields.categoryField, fields.idField]) {
    if (field && parsed.records.length > 0 && !known.has(field))
      issues.add(null, `the file has no field "${field}"`);
  }
  const readCategory =
    fields.categoryField && known.has(fields.categoryField) ? compileFieldPath(fields.categoryField) : null;
  const readId = fields.idField && known.has(fields.idField) ? compileFieldPath(fields.idField) : null;
  const recordsByLine = new Map(parsed.records.map((row) => [row.line, row.record]));
  const items: EvalItem[] = [];
  for (const seed of extracted.seeds) {
    const record = recordsByLine.get(seed.line) ?? {};
    const category = readCategory ? labelOf(readCategory(record), fields.categoryField!) : null;
    const sourceId = readId ? labelOf(readId(record), fields.idField!) : null;
    const problem = [category, sourceId].find((value) => typeof value === "object" && value !== null) as
      { problem: string } | undefined;
    if (problem) {
      issues.add(seed.line, problem.problem);
      continue;
    }
    items.push({
      instruction: seed.instruction,
      input: seed.input,
      category: category as string | null,
      sourceId: sourceId as string | null,
      contentHash: seedContentHash(seed.instruction, seed.input),
      line: seed.line,
    });
  }
  const { issues: errors, count } = mergeIssues(
    { issues: extracted.errors, count: extracted.errorCount },
    issues,
  );
  return { items, errors, errorCount: count };
}

export interface EvalSetFileSource {
  bytes: Uint8Array;
  fileName: string;
  format?: SeedFileFormatOption;
}

export type EvalSetFilePreview = SeedFileSummary & {
  suggestedCategoryField: string | null;
  suggestedIdField: string | null;
};

export function previewEvalSetFile(source: EvalSetFileSource): EvalSetFilePreview {
  const decoded = decodeSeedFile(source.bytes, source.fileName);
  const parsed = parseSeedFile(decoded.text, { fileName: source.fileName, format: source.format ?? "auto" });
  return {
    ...summarizeSeedFile(parsed),
    suggestedCategoryField: suggestCategoryField(parsed),
    suggestedIdField: suggestIdField(parsed),
  };
}

export interface ReadEvalSetFile {
  items: EvalItem[];
  format: string;
  rowCount: number;
  sha256: string;
  fields: Required<EvalSetFields>;
}

/**
 * Reads an evaluation set file with the given fields (absent ones: the suggested field; "" or null: none).
 * A file with any bad record is refused whole: AppError("invalid_input") with details.lines naming each.
 */
export function readEvalSetFile(source: EvalSetFileSource & Partial<EvalSetFields>): ReadEvalSetFile {
  const decoded = decodeSeedFile(source.bytes, source.fileName);
  const parsed = parseSeedFile(decoded.text, { fileName: source.fileName, format: source.format ?? "auto" });
  const instructionField = source.instructionField || parsed.suggestedInstructionField;
  if (!instructionField)
    throw new AppError("invalid_input", `${source.fileName}: pick the field that holds the instruction`);
  const pick = (given: string | null | undefined, suggested: string | null) =>
    given === undefined ? suggested : given || null;
  const fields = {
    instructionField,
    inputField: pick(source.inputField, parsed.suggestedInputField),
    categoryField: pick(source.categoryField, suggestCategoryField(parsed)),
    idField: pick(source.idField, suggestIdField(parsed)),
  };
  const extracted = extractEvalItems(parsed, fields);
  if (extracted.errorCount > 0) {
    throw new AppError(
      "invalid_input",
      `${source.fileName} was not imported: ${extracted.errorCount} problem${extracted.errorCount === 1 ? "" : "s"} (nothing was imported)`,
      { lines: seedFileErrorMessages(extracted) },
    );
  }
  if (extracted.items.length === 0)
    throw new AppError("invalid_input", `${source.fileName} holds no instructions`);
  return {
    items: extracted.items,
    format: parsed.format,
    rowCount: parsed.rowCount,
    sha256: decoded.sha256,
    fields,
  };
}

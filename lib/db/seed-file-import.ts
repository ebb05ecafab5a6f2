// Seed files from upload to rows: decode → parse → extract → one all-or-nothing bulk import.
// Shared by the web app's server actions and the CLI.
import type pg from "pg";
import { importSeeds, type ImportSeedsResult } from "@/lib/db/seeds";
import { AppError } from "@/lib/errors";
import {
  decodeSeedFile,
  extractSeeds,
  parseSeedFile,
  seedFileErrorMessages,
  summarizeSeedFile,
  type SeedFileFormatOption,
  type SeedFileSummary,
} from "@/lib/formats/seed-file";

export interface SeedFileSource {
  bytes: Uint8Array;
  fileName: string;
  format?: SeedFileFormatOption;
}

export function previewSeedFile(
  source: SeedFileSource,
): SeedFileSummary & { encoding: string; byteLength: number } {
  const decoded = decodeSeedFile(source.bytes, source.fileName);
  const parsed = parseSeedFile(decoded.text, { fileName: source.fileName, format: source.format ?? "auto" });
  return { ...summarizeSeedFile(parsed), encoding: decoded.encoding, byteLength: decoded.byteLength };
}

export interface SeedFileImportResult extends ImportSeedsResult {
  rowCount: number;
  format: string;
}

/**
 * Imports a seed file into a project. A file with any bad record is refused whole: AppError("invalid_input")
 * whose details.lines name each bad line (up to 20) and why. Nothing is written in that case.
 */
export async function importSeedFile(
  pool: pg.Pool,
  source: SeedFileSource & {
    projectId: number;
    instructionField?: string | null;
    inputField?: string | null;
  },
): Promise<SeedFileImportResult> {
  const decoded = decodeSeedFile(source.bytes, source.fileName);
  const parsed = parseSeedFile(decoded.text, { fileName: source.fileName, format: source.format ?? "auto" });
  const instructionField = source.instructionField || parsed.suggestedInstructionField;
  if (!instructionField) {
    throw new AppError("invalid_input", `${source.fileName}: pick the field that holds the instruction`);
  }
  const inputField = source.inputField === undefined ? parsed.suggestedInputField : source.inputField || null;
  const extracted = extractSeeds(parsed, { instructionField, inputField });
  if (extracted.errorCount > 0) {
    const lines = seedFileErrorMessages(extracted);
    throw new AppError(
      "invalid_input",
      `${source.fileName} was not imported: ${extracted.errorCount} problem${extracted.errorCount === 1 ? "" : "s"} (nothing was imported)`,
      { lines },
    );
  }
  const result = await importSeeds(pool, {
    projectId: source.projectId,
    fileName: source.fileName,
    format: parsed.format,
    instructionField,
    inputField,
    seeds: extracted.seeds,
    sha256: decoded.sha256,
  });
  return { ...result, rowCount: parsed.rowCount, format: parsed.format };
}

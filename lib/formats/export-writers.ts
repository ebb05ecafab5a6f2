// Streaming export writers: kept pairs go in batch by batch, bytes go out to a sink as they are produced, so
// memory holds one batch (JSONL) or one row group (Parquet) whatever the dataset size. Output is a pure function
// of the pairs and their order: fixed key order, no timestamps, so the same export gives the same bytes.
import {
  provenance,
  toTrainingRecord,
  type CodeclmProvenance,
  type KeptPair,
  type RecordFormat,
  type TrainingRecord,
} from "@/lib/formats/export-records";
import { createParquetRowWriter, type ByteSink, type ParquetColumn } from "@/lib/formats/parquet-stream";
import type { ExportFormat } from "@/lib/schemas/export";

export type { ByteSink } from "@/lib/formats/parquet-stream";

export const exportContentTypes: Record<ExportFormat, string> = {
  chat: "application/x-ndjson; charset=utf-8",
  alpaca: "application/x-ndjson; charset=utf-8",
  sharegpt: "application/x-ndjson; charset=utf-8",
  parquet: "application/vnd.apache.parquet",
};

export interface ExportWriterOptions {
  /** Add the `codeclm` provenance object (JSONL) or provenance columns (Parquet). */
  includeProvenance: boolean;
}

export interface ExportWriter {
  /** Appends pairs in the order given; resolves once the sink has taken their bytes (backpressure). */
  write(pairs: readonly KeptPair[]): Promise<void>;
  /** Writes whatever is buffered and the file's end (Parquet footer). Call once. */
  finish(): Promise<void>;
  /** Pairs written so far. */
  readonly recordCount: number;
}

/** The record with its keys in the same order, minus `codeclm`. */
function withoutProvenance(record: TrainingRecord): object {
  const { codeclm, ...rest } = record;
  void codeclm;
  return rest;
}

/** One JSON line per pair; a batch becomes one UTF-8 chunk. */
function createJsonlWriter(format: RecordFormat, sink: ByteSink, options: ExportWriterOptions): ExportWriter {
  let recordCount = 0;
  return {
    get recordCount() {
      return recordCount;
    },
    async write(pairs) {
      if (pairs.length === 0) return;
      // Each line is encoded straight into one buffer per batch (no joined string to flatten and copy first).
      const lines: string[] = new Array<string>(pairs.length);
      let byteLength = 0;
      for (let index = 0; index < pairs.length; index++) {
        const record = toTrainingRecord(pairs[index]!, format);
        const line = `${JSON.stringify(options.includeProvenance ? record : withoutProvenance(record))}\n`;
        lines[index] = line;
        byteLength += Buffer.byteLength(line, "utf8");
      }
      const chunk = Buffer.allocUnsafe(byteLength);
      let offset = 0;
      for (const line of lines) offset += chunk.write(line, offset, "utf8");
      recordCount += pairs.length;
      await sink.write(chunk);
    },
    async finish() {},
  };
}

interface ParquetRow {
  pair: KeptPair;
  codeclm: CodeclmProvenance | null;
}

const pairColumns: ParquetColumn<ParquetRow>[] = [
  { name: "instruction", type: "string", nullable: false, value: (row) => row.pair.instruction },
  { name: "input", type: "string", nullable: false, value: (row) => row.pair.input ?? "" },
  { name: "output", type: "string", nullable: false, value: (row) => row.pair.answer },
];

// The `codeclm` object's fields as flat columns (named as in JSONL), readable by any parquet tool.
const provenanceColumns: ParquetColumn<ParquetRow>[] = [
  { name: "use_case", type: "string", nullable: false, value: (row) => row.codeclm!.use_case },
  { name: "skills", type: "string-list", nullable: false, value: (row) => row.codeclm!.skills },
  { name: "iteration", type: "int32", nullable: false, value: (row) => row.codeclm!.iteration },
  { name: "strong_score", type: "double", nullable: true, value: (row) => row.codeclm!.strong_score },
  { name: "target_score", type: "double", nullable: true, value: (row) => row.codeclm!.target_score },
  { name: "gap", type: "double", nullable: true, value: (row) => row.codeclm!.gap },
  { name: "kept", type: "string", nullable: false, value: (row) => row.codeclm!.kept },
  { name: "run_id", type: "int32", nullable: false, value: (row) => row.codeclm!.run_id },
];

export interface ParquetExportOptions extends ExportWriterOptions {
  /** Row group limits (tests use small ones to get several groups). */
  maxRowsPerGroup?: number;
  maxCharsPerGroup?: number;
}

function createParquetExportWriter(sink: ByteSink, options: ParquetExportOptions): ExportWriter {
  const columns = options.includeProvenance ? [...pairColumns, ...provenanceColumns] : pairColumns;
  const writer = createParquetRowWriter<ParquetRow>(sink, columns, {
    maxRowsPerGroup: options.maxRowsPerGroup,
    maxCharsPerGroup: options.maxCharsPerGroup,
  });
  let recordCount = 0;
  return {
    get recordCount() {
      return recordCount;
    },
    async write(pairs) {
      recordCount += pairs.length;
      await writer.add(
        pairs.map((pair) => ({ pair, codeclm: options.includeProvenance ? provenance(pair) : null })),
      );
    },
    finish: () => writer.finish(),
  };
}

export function createExportWriter(
  format: ExportFormat,
  sink: ByteSink,
  options: ExportWriterOptions | ParquetExportOptions,
): ExportWriter {
  return format === "parquet"
    ? createParquetExportWriter(sink, options)
    : createJsonlWriter(format, sink, options);
}

/** Writes every batch from `batches` and finishes the file; returns how many pairs were written. */
export async function writeExport(
  format: ExportFormat,
  batches: AsyncIterable<readonly KeptPair[]> | Iterable<readonly KeptPair[]>,
  sink: ByteSink,
  options: ExportWriterOptions | ParquetExportOptions,
): Promise<number> {
  const writer = createExportWriter(format, sink, options);
  for await (const batch of batches) await writer.write(batch);
  await writer.finish();
  return writer.recordCount;
}

// Streaming export writers: kept pairs go in batch by batch, bytes go out to a sink as they are produced, so
// memory holds one batch (JSONL) or one row group (Parquet) whatever the dataset size. Output is a pure function
// of the pairs and their order: fixed key order, no timestamps, so the same export gives the same bytes. JSONL
// and Parquet write the same record objects (export-records.ts), so names and types match across file types.
// A plain library function: the web export, the CLI and a worker job all call writeExport.
import {
  toTrainingRecord,
  withoutProvenance,
  type KeptPair,
  type RecordFormat,
} from "@/lib/formats/export-records";
import { createParquetRowWriter, type ByteSink, type ParquetColumn } from "@/lib/formats/parquet-stream";
import { recordSchema, type ProvenanceLevel } from "@/lib/formats/record-schemas";
import { isParquetFormat, recordFormatOf, type ExportFormat } from "@/lib/schemas/export";

export type { ByteSink } from "@/lib/formats/parquet-stream";

export function exportContentType(format: ExportFormat): string {
  return isParquetFormat(format) ? "application/vnd.apache.parquet" : "application/x-ndjson; charset=utf-8";
}

export interface ExportWriterOptions {
  /** none: records only; lean: the `codeclm` object; full: with the method's whole trace (pairs carry `full`). */
  provenance: ProvenanceLevel;
}

export interface ExportWriter {
  /** Appends pairs in the order given; resolves once the sink has taken their bytes (backpressure). */
  write(pairs: readonly KeptPair[]): Promise<void>;
  /** Writes whatever is buffered and the file's end (Parquet footer). Call once. */
  finish(): Promise<void>;
  /** Pairs written so far. */
  readonly recordCount: number;
}

function recordOf(pair: KeptPair, format: RecordFormat, provenance: ProvenanceLevel): object {
  const source = provenance === "full" ? pair : { ...pair, full: undefined };
  const record = toTrainingRecord(source, format);
  return provenance === "none" ? withoutProvenance(record) : record;
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
        const line = `${JSON.stringify(recordOf(pairs[index]!, format, options.provenance))}\n`;
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

export interface ParquetExportOptions extends ExportWriterOptions {
  /** Row group limits (tests use small ones to get several groups). */
  maxRowsPerGroup?: number;
  maxCharsPerGroup?: number;
}

type RecordRow = Record<string, unknown>;

function createParquetExportWriter(
  format: RecordFormat,
  sink: ByteSink,
  options: ParquetExportOptions,
): ExportWriter {
  const columns: ParquetColumn<RecordRow>[] = recordSchema(format, options.provenance).map((field) => ({
    ...field,
    value: (row) => row[field.name],
  }));
  const writer = createParquetRowWriter<RecordRow>(sink, columns, {
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
      await writer.add(pairs.map((pair) => recordOf(pair, format, options.provenance) as RecordRow));
    },
    finish: () => writer.finish(),
  };
}

export function createExportWriter(
  format: ExportFormat,
  sink: ByteSink,
  options: ExportWriterOptions | ParquetExportOptions,
): ExportWriter {
  const shape = recordFormatOf(format);
  return isParquetFormat(format)
    ? createParquetExportWriter(shape, sink, options)
    : createJsonlWriter(shape, sink, options);
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

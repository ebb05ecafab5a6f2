// Parquet written row group by row group to an async byte sink, so memory is bounded by one row group, not by
// the dataset. hyparquet-writer's ParquetWriter encodes one row group per `write()` call and then calls the
// writer's `flush()`; when `flush()` returns a promise, `write()` returns it too, which gives us backpressure.
import { ByteWriter, ParquetWriter, type SchemaElement } from "hyparquet-writer";

/** Where export bytes go (a file with a running hash, an HTTP body, a test buffer). */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}

type ColumnSource = Parameters<ParquetWriter["write"]>[0]["columnData"][number];
type ColumnValues = unknown[];

/** Bytes the encoder may hold before they are handed to the sink as one chunk. */
const spillBytes = 4 * 1024 * 1024;

/**
 * A ByteWriter that never grows past a few MB: while a row group is being encoded (synchronously), full
 * buffers are set aside; `flush()` hands them to the sink in order. Nothing is ever patched backwards in a
 * parquet file, so handing bytes on early is safe (hyparquet-writer's own file writer does the same).
 */
class SinkByteWriter extends ByteWriter {
  private pending: Uint8Array[] = [];

  constructor(private readonly sink: ByteSink) {
    super(1024 * 1024);
  }

  override ensure(size: number): void {
    if (this.index > spillBytes) this.setAside();
    super.ensure(size);
  }

  private setAside(): void {
    if (this.index === 0) return;
    // A copy: the buffer is reused for the next bytes.
    this.pending.push(new Uint8Array(this.buffer.slice(0, this.index)));
    this.index = 0;
  }

  async flush(): Promise<void> {
    this.setAside();
    const chunks = this.pending;
    this.pending = [];
    for (const chunk of chunks) await this.sink.write(chunk);
  }

  /** The footer stays set aside until the caller's last `flush()` (finish must be synchronous here). */
  override finish(): void {
    this.setAside();
  }
}

/**
 * A column's type: scalars, a LIST of any type (three-level, as Arrow, DuckDB and `datasets` write it), or a
 * struct of named fields (chat messages are a LIST of struct<role, content>).
 */
export type ParquetType =
  | "string"
  | "int32"
  | "double"
  | { list: ParquetType; elementNullable?: boolean }
  | { struct: readonly ParquetField[] };

export interface ParquetField {
  name: string;
  type: ParquetType;
  nullable: boolean;
}

export interface ParquetColumn<Row> extends ParquetField {
  value: (row: Row) => unknown;
}

function schemaElements(field: ParquetField): SchemaElement[] {
  const repetition_type = field.nullable ? "OPTIONAL" : "REQUIRED";
  const { type } = field;
  if (type === "string") {
    return [{ name: field.name, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type }];
  }
  if (type === "int32") return [{ name: field.name, type: "INT32", repetition_type }];
  if (type === "double") return [{ name: field.name, type: "DOUBLE", repetition_type }];
  if ("list" in type) {
    return [
      { name: field.name, repetition_type, converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      ...schemaElements({ name: "element", type: type.list, nullable: type.elementNullable ?? false }),
    ];
  }
  return [
    { name: field.name, repetition_type, num_children: type.struct.length },
    ...type.struct.flatMap(schemaElements),
  ];
}

export function schemaOf(fields: readonly ParquetField[]): SchemaElement[] {
  return [{ name: "root", num_children: fields.length }, ...fields.flatMap(schemaElements)];
}

/** The UTF-16 length of the strings inside a value (for the row group's text budget). */
function textLength(value: unknown): number {
  if (typeof value === "string") return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textLength(item), 0);
  if (value !== null && typeof value === "object") {
    let sum = 0;
    for (const item of Object.values(value)) sum += textLength(item);
    return sum;
  }
  return 0;
}

export interface ParquetRowWriter<Row> {
  /** Buffers rows; a row group is encoded and written once it is full. */
  add(rows: readonly Row[]): Promise<void>;
  /** Writes the last row group and the footer. */
  finish(): Promise<void>;
}

export interface ParquetRowWriterOptions {
  /** At most this many rows per row group. */
  maxRowsPerGroup?: number;
  /** A row group is also closed once its strings reach about this many UTF-16 code units. */
  maxCharsPerGroup?: number;
  /** Written into the footer's created_by; keep it free of versions or dates for byte-identical files. */
  createdBy?: string;
}

/**
 * Streams rows into a parquet file. Row groups close at a row or text-size limit, so the same rows always give
 * the same groups and the same bytes (SNAPPY is deterministic; no timestamps are written).
 */
export function createParquetRowWriter<Row>(
  sink: ByteSink,
  columns: readonly ParquetColumn<Row>[],
  options: ParquetRowWriterOptions = {},
): ParquetRowWriter<Row> {
  const maxRows = options.maxRowsPerGroup ?? 5_000;
  const maxChars = options.maxCharsPerGroup ?? 4 * 1024 * 1024;
  const writer = new SinkByteWriter(sink);
  const parquet = new ParquetWriter({
    writer,
    schema: schemaOf(columns),
    codec: "SNAPPY",
    createdBy: options.createdBy ?? "CodecLM Studio",
  });
  let values: ColumnValues[] = columns.map(() => []);
  let rowCount = 0;
  let charCount = 0;

  async function writeGroup(): Promise<void> {
    if (rowCount === 0) return;
    const columnData = columns.map((column, index) => ({
      name: column.name,
      data: values[index]! as ColumnSource["data"],
    }));
    const size = rowCount;
    values = columns.map(() => []);
    rowCount = 0;
    charCount = 0;
    await parquet.write({ columnData, rowGroupSize: size });
  }

  return {
    async add(rows) {
      for (const row of rows) {
        for (let index = 0; index < columns.length; index++) {
          const value = columns[index]!.value(row);
          charCount += textLength(value);
          values[index]!.push(value);
        }
        rowCount += 1;
        if (rowCount >= maxRows || charCount >= maxChars) await writeGroup();
      }
    },
    async finish() {
      await writeGroup();
      await parquet.finish();
      await writer.flush();
    },
  };
}

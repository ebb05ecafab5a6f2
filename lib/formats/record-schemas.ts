// The Parquet schema of each record shape: the same field names and types as the JSONL records of
// export-records.ts (messages as a list of struct<role, content>, `codeclm` as a struct), so a reader sees one
// dataset whichever file type it opens.
import type { RecordFormat } from "@/lib/formats/export-records";
import type { ParquetField, ParquetType } from "@/lib/formats/parquet-stream";

const text = (name: string, nullable = false): ParquetField => ({ name, type: "string", nullable });
const double = (name: string): ParquetField => ({ name, type: "double", nullable: true });
const int32 = (name: string): ParquetField => ({ name, type: "int32", nullable: false });
const struct = (...fields: ParquetField[]): ParquetType => ({ struct: fields });
const listOf = (type: ParquetType): ParquetType => ({ list: type });

const chatMessage = struct(text("role"), text("content"));
const shareGptTurn = struct(text("from"), text("value"));

const leanProvenance: ParquetField[] = [
  text("use_case"),
  { name: "skills", type: listOf("string"), nullable: false },
  int32("iteration"),
  double("strong_score"),
  double("target_score"),
  double("gap"),
  text("kept"),
  int32("run_id"),
];

const fullProvenance: ParquetField[] = [
  int32("version_id"),
  int32("metadata_id"),
  text("metadata_origin"),
  {
    name: "chain",
    type: listOf(struct(int32("iteration"), text("action", true), text("text"))),
    nullable: false,
  },
  text("strong_answer"),
  text("target_answer"),
  double("strong_score_order_a"),
  double("target_score_order_a"),
  double("strong_score_order_b"),
  double("target_score_order_b"),
  text("strong_model", true),
  text("target_model", true),
  text("judge_model", true),
  text("prompt_version"),
  text("judge_prompt_version", true),
  text("run_config_sha256"),
];

const recordFields: Record<RecordFormat, ParquetField[]> = {
  chat: [{ name: "messages", type: listOf(chatMessage), nullable: false }],
  alpaca: [text("instruction"), text("input"), text("output")],
  sharegpt: [{ name: "conversations", type: listOf(shareGptTurn), nullable: false }],
  preference: [
    { name: "prompt", type: listOf(chatMessage), nullable: false },
    { name: "chosen", type: listOf(chatMessage), nullable: false },
    { name: "rejected", type: listOf(chatMessage), nullable: false },
    double("margin"),
  ],
  "preference-sharegpt": [
    { name: "conversations", type: listOf(shareGptTurn), nullable: false },
    { name: "chosen", type: shareGptTurn, nullable: false },
    { name: "rejected", type: shareGptTurn, nullable: false },
    double("margin"),
  ],
};

export type ProvenanceLevel = "none" | "lean" | "full";

/** The top-level fields of a record shape, with the `codeclm` struct when provenance is included. */
export function recordSchema(format: RecordFormat, provenance: ProvenanceLevel): ParquetField[] {
  if (provenance === "none") return recordFields[format];
  const codeclm = provenance === "full" ? [...leanProvenance, ...fullProvenance] : leanProvenance;
  return [...recordFields[format], { name: "codeclm", type: struct(...codeclm), nullable: false }];
}

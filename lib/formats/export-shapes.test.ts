import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { describe, expect, it } from "vitest";
import { recordFormats, type KeptPair } from "@/lib/formats/export-records";
import { writeExport, type ByteSink } from "@/lib/formats/export-writers";
import type { ProvenanceLevel } from "@/lib/formats/record-schemas";
import { repairText } from "@/lib/formats/text-repair";
import { exportFormatOf } from "@/lib/schemas/export";

const full = {
  versionId: 41,
  metadataId: 5,
  metadataOrigin: "encoded",
  chain: [
    { iteration: 1, action: null, text: "Write a poem." },
    { iteration: 2, action: "Add a constraint on rhyme", text: "Write a rhyming poem about rain." },
  ],
  strongAnswer: "Rain taps the pane, again, again.",
  targetAnswer: "Rain is wet.",
  strongScoreOrderA: 9,
  targetScoreOrderA: 4,
  strongScoreOrderB: 8,
  targetScoreOrderB: 5,
  strongModel: "fake-strong",
  targetModel: "fake-target",
  judgeModel: "fake-strong",
  promptVersion: "improve@1",
  judgePromptVersion: "judge@1",
  runConfigSha256: "a".repeat(64),
};

const pairs: KeptPair[] = [
  {
    instruction: "Write a rhyming poem about rain.",
    answer: "Rain taps the pane, again, again.",
    rejectedAnswer: "Rain is wet.",
    useCase: "Creative writing",
    skills: ["poetry"],
    iteration: 2,
    strongScore: 8.5,
    targetScore: 4.5,
    gap: 4,
    kept: "strong",
    runId: 3,
    full,
  },
  {
    instruction: "Sum 2 and 2.",
    input: "Show the steps",
    answer: "2 + 2 = 4",
    rejectedAnswer: "5",
    useCase: "Math",
    skills: [],
    iteration: 1,
    strongScore: 2,
    targetScore: 7.25,
    gap: -5.25,
    kept: "target",
    runId: 3,
    full: { ...full, versionId: 42, chain: [{ iteration: 1, action: null, text: "Sum 2 and 2." }] },
  },
];

class MemorySink implements ByteSink {
  chunks: Uint8Array[] = [];
  async write(chunk: Uint8Array): Promise<void> {
    this.chunks.push(new Uint8Array(chunk));
  }
  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.chunks));
  }
}

async function exported(
  format: Parameters<typeof writeExport>[0],
  provenance: ProvenanceLevel,
  input = pairs,
) {
  const sink = new MemorySink();
  const count = await writeExport(format, [input], sink, { provenance });
  return { count, bytes: sink.bytes() };
}

function jsonLines(bytes: Uint8Array): Record<string, unknown>[] {
  return Buffer.from(bytes)
    .toString("utf8")
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Read with hyparquet, a reader independent of the writer (hyparquet-writer). */
async function parquetRows(bytes: Uint8Array) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const metadata = parquetMetadata(file);
  return { metadata, schema: parquetSchema(metadata), rows: await parquetReadObjects({ file }) };
}

describe("preference pairs", () => {
  it("writes TRL DPOTrainer's conversational preference shape: chosen is the kept answer", async () => {
    const [first, second] = jsonLines((await exported("preference", "none")).bytes);
    expect(first).toEqual({
      prompt: [{ role: "user", content: "Write a rhyming poem about rain." }],
      chosen: [{ role: "assistant", content: "Rain taps the pane, again, again." }],
      rejected: [{ role: "assistant", content: "Rain is wet." }],
      margin: 4,
    });
    // The target side won here: its answer is chosen, the margin is the gap's size.
    expect(second).toEqual({
      prompt: [{ role: "user", content: "Sum 2 and 2.\n\nShow the steps" }],
      chosen: [{ role: "assistant", content: "2 + 2 = 4" }],
      rejected: [{ role: "assistant", content: "5" }],
      margin: 5.25,
    });
  });

  it("writes LLaMA-Factory's ShareGPT preference shape", async () => {
    const [first] = jsonLines((await exported("preference-sharegpt", "lean")).bytes);
    expect(first).toEqual({
      conversations: [{ from: "human", value: "Write a rhyming poem about rain." }],
      chosen: { from: "gpt", value: "Rain taps the pane, again, again." },
      rejected: { from: "gpt", value: "Rain is wet." },
      margin: 4,
      codeclm: {
        use_case: "Creative writing",
        skills: ["poetry"],
        iteration: 2,
        strong_score: 8.5,
        target_score: 4.5,
        gap: 4,
        kept: "strong",
        run_id: 3,
      },
    });
  });

  it("refuses to write a preference record without the rejected answer", async () => {
    const { rejectedAnswer: _dropped, ...withoutRejected } = pairs[0]!;
    await expect(exported("preference", "none", [withoutRejected])).rejects.toThrow(/rejected answer/);
  });
});

describe("Parquet in every shape", () => {
  const cases = recordFormats.flatMap((shape) =>
    (["none", "lean", "full"] as const).map((provenance) => [shape, provenance] as const),
  );

  it.each(cases)("%s with %s provenance: Parquet rows equal the JSONL records", async (shape, provenance) => {
    const jsonl = await exported(exportFormatOf(shape, false), provenance);
    const parquet = await exported(exportFormatOf(shape, true), provenance);
    expect(parquet.count).toBe(2);
    const { rows, metadata } = await parquetRows(parquet.bytes);
    expect(Number(metadata.num_rows)).toBe(2);
    expect(rows).toEqual(jsonLines(jsonl.bytes));
  });

  it("types chat messages as a list of struct<role, content> and provenance numbers as int32/double", async () => {
    const { schema, rows } = await parquetRows((await exported("chat-parquet", "full")).bytes);
    const messages = schema.children.find((child) => child.element.name === "messages")!;
    expect(messages.element.converted_type).toBe("LIST");
    const message = messages.children[0]!.children[0]!;
    expect(message.children.map((child) => [child.element.name, child.element.type])).toEqual([
      ["role", "BYTE_ARRAY"],
      ["content", "BYTE_ARRAY"],
    ]);
    const codeclm = schema.children.find((child) => child.element.name === "codeclm")!;
    const typeOf = (name: string) => codeclm.children.find((child) => child.element.name === name)!.element;
    expect(typeOf("iteration").type).toBe("INT32");
    expect(typeOf("gap")).toMatchObject({ type: "DOUBLE", repetition_type: "OPTIONAL" });
    expect(typeOf("chain").converted_type).toBe("LIST");
    expect(rows[0]!.codeclm).toMatchObject({
      version_id: 41,
      chain: full.chain,
      strong_score_order_b: 8,
      target_answer: "Rain is wet.",
      run_config_sha256: "a".repeat(64),
    });
  });

  it("types the preference margin as a double", async () => {
    const { schema, rows } = await parquetRows((await exported("preference-parquet", "none")).bytes);
    expect(schema.children.map((child) => child.element.name)).toEqual([
      "prompt",
      "chosen",
      "rejected",
      "margin",
    ]);
    expect(schema.children[3]!.element.type).toBe("DOUBLE");
    expect(rows.map((row) => row.margin)).toEqual([4, 5.25]);
  });
});

describe("text repair", () => {
  it("turns lone surrogates and NUL into U+FFFD and leaves valid text alone", () => {
    expect(repairText("a\uD800b")).toBe("a\uFFFDb");
    expect(repairText("\uDC00x")).toBe("\uFFFDx");
    expect(repairText("x\u0000y")).toBe("x\uFFFDy");
    const valid = "emoji 🪆 and accents é";
    expect(repairText(valid)).toBe(valid);
  });

  it("exports a broken answer as a line any UTF-8 reader can read", async () => {
    const broken = { ...pairs[0]!, answer: "cut emoji \uD83E", instruction: "ok \uDC00" };
    const { bytes } = await exported("chat", "none", [broken]);
    // A lone surrogate in the string would be written as "\ud83e" by JSON.stringify, unreadable as UTF-8 text.
    expect(Buffer.from(bytes).toString("utf8")).not.toMatch(/\\ud8|\\udc/i);
    const [record] = jsonLines(bytes) as Array<{ messages: Array<{ content: string }> }>;
    expect(record!.messages.map((message) => message.content)).toEqual(["ok \uFFFD", "cut emoji \uFFFD"]);
    const parquet = await parquetRows((await exported("chat-parquet", "none", [broken])).bytes);
    expect(parquet.rows[0]!.messages).toEqual(record!.messages);
  });
});

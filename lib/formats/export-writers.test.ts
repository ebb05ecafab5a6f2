import { createHash } from "node:crypto";
import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { describe, expect, it } from "vitest";
import type { KeptPair } from "@/lib/formats/export-records";
import { createExportWriter, writeExport, type ByteSink } from "@/lib/formats/export-writers";
import type { ExportFormat } from "@/lib/schemas/export";

const pairs: KeptPair[] = [
  {
    instruction: "Write a haiku about rain.",
    answer: "Soft rain on the roof\nwhispers …",
    useCase: "Creative writing",
    skills: ["poetry", "imagery"],
    iteration: 1,
    strongScore: 8.5,
    targetScore: 4,
    gap: 4.5,
    kept: "strong",
    runId: 7,
  },
  {
    instruction: 'Explain "recursion" to a child.',
    input: "Age: 8",
    answer: "It is when a thing is defined by itself: 🪆 inside 🪆.",
    useCase: "Coding help",
    skills: [],
    iteration: 3,
    strongScore: 3,
    targetScore: 7.25,
    gap: -4.25,
    kept: "target",
    runId: 7,
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
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

async function exportTo(format: ExportFormat, input: KeptPair[][], includeProvenance: boolean, extra = {}) {
  const sink = new MemorySink();
  const count = await writeExport(format, input, sink, {
    provenance: includeProvenance ? "lean" : "none",
    ...extra,
  });
  return { sink, count };
}

function lines(text: string): unknown[] {
  expect(text.endsWith("\n")).toBe(true);
  return text
    .slice(0, -1)
    .split("\n")
    .map((line) => JSON.parse(line) as unknown);
}

const provenance0 = {
  use_case: "Creative writing",
  skills: ["poetry", "imagery"],
  iteration: 1,
  strong_score: 8.5,
  target_score: 4,
  gap: 4.5,
  kept: "strong",
  run_id: 7,
};

describe("JSONL writers", () => {
  it("writes OpenAI chat records, one per line, input appended to the user turn", async () => {
    const { sink, count } = await exportTo("chat", [pairs], false);
    expect(count).toBe(2);
    expect(lines(sink.text())).toEqual([
      {
        messages: [
          { role: "user", content: "Write a haiku about rain." },
          { role: "assistant", content: "Soft rain on the roof\nwhispers …" },
        ],
      },
      {
        messages: [
          { role: "user", content: 'Explain "recursion" to a child.\n\nAge: 8' },
          { role: "assistant", content: "It is when a thing is defined by itself: 🪆 inside 🪆." },
        ],
      },
    ]);
    expect(sink.text().split("\n")[0]).toBe(
      '{"messages":[{"role":"user","content":"Write a haiku about rain."},{"role":"assistant","content":"Soft rain on the roof\\nwhispers …"}]}',
    );
  });

  it("adds the codeclm provenance object only when asked", async () => {
    const { sink } = await exportTo("chat", [pairs], true);
    const [first, second] = lines(sink.text()) as { codeclm: unknown }[];
    expect(first!.codeclm).toEqual(provenance0);
    expect(second!.codeclm).toMatchObject({ kept: "target", gap: -4.25, iteration: 3, skills: [] });
    expect(sink.text().split("\n")[0]).toMatch(/^\{"messages":\[.*\],"codeclm":\{"use_case":/);
  });

  it("writes Alpaca records with instruction, input and output", async () => {
    const { sink } = await exportTo("alpaca", [pairs], false);
    expect(lines(sink.text())).toEqual([
      { instruction: "Write a haiku about rain.", input: "", output: "Soft rain on the roof\nwhispers …" },
      {
        instruction: 'Explain "recursion" to a child.',
        input: "Age: 8",
        output: "It is when a thing is defined by itself: 🪆 inside 🪆.",
      },
    ]);
  });

  it("writes ShareGPT conversations with human and gpt turns", async () => {
    const { sink } = await exportTo("sharegpt", [pairs.slice(0, 1)], true);
    expect(lines(sink.text())).toEqual([
      {
        conversations: [
          { from: "human", value: "Write a haiku about rain." },
          { from: "gpt", value: "Soft rain on the roof\nwhispers …" },
        ],
        codeclm: provenance0,
      },
    ]);
  });

  it("hands each batch to the sink as it comes and writes nothing for no pairs", async () => {
    const sink = new MemorySink();
    const writer = createExportWriter("alpaca", sink, { provenance: "none" });
    await writer.write(pairs.slice(0, 1));
    expect(sink.chunks).toHaveLength(1);
    await writer.write([]);
    await writer.write(pairs.slice(1));
    await writer.finish();
    expect(sink.chunks).toHaveLength(2);
    expect(writer.recordCount).toBe(2);
    expect((await exportTo("chat", [], true)).sink.bytes()).toHaveLength(0);
  });
});

async function readParquet(bytes: Uint8Array) {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { metadata: parquetMetadata(file), rows: await parquetReadObjects({ file }) };
}

function manyPairs(count: number): KeptPair[] {
  return Array.from({ length: count }, (_, index) => ({
    ...pairs[index % 2]!,
    rejectedAnswer: `Worse answer ${index}`,
    instruction: `Instruction ${index}`,
    answer: `Answer ${index} ${"x".repeat(index % 50)}`,
  }));
}

describe("Parquet writer", () => {
  it("writes instruction, input and output columns that hyparquet reads back", async () => {
    const { sink, count } = await exportTo("alpaca-parquet", [pairs], false);
    expect(count).toBe(2);
    const { metadata, rows } = await readParquet(sink.bytes());
    expect(metadata.schema.map((element) => element.name)).toEqual([
      "root",
      "instruction",
      "input",
      "output",
    ]);
    expect(rows).toEqual([
      { instruction: "Write a haiku about rain.", input: "", output: "Soft rain on the roof\nwhispers …" },
      {
        instruction: 'Explain "recursion" to a child.',
        input: "Age: 8",
        output: "It is when a thing is defined by itself: 🪆 inside 🪆.",
      },
    ]);
  });

  it("adds the provenance as a codeclm struct with the JSONL names and types, skills as a list", async () => {
    const { sink } = await exportTo("alpaca-parquet", [pairs], true);
    const { rows } = await readParquet(sink.bytes());
    expect(rows[0]).toEqual({
      instruction: "Write a haiku about rain.",
      input: "",
      output: "Soft rain on the roof\nwhispers …",
      codeclm: provenance0,
    });
    expect(rows[1]!.codeclm).toMatchObject({
      skills: [],
      kept: "target",
      gap: -4.25,
      target_score: 7.25,
      iteration: 3,
    });
  });

  it("streams row group by row group: bytes reach the sink before the footer, groups are bounded", async () => {
    const sink = new MemorySink();
    const writer = createExportWriter("alpaca-parquet", sink, { provenance: "lean", maxRowsPerGroup: 100 });
    const all = manyPairs(1_050);
    for (let start = 0; start < all.length; start += 70) await writer.write(all.slice(start, start + 70));
    const beforeFinish = sink.bytes().length;
    expect(beforeFinish).toBeGreaterThan(0);
    await writer.finish();
    expect(sink.bytes().length).toBeGreaterThan(beforeFinish);

    const { metadata, rows } = await readParquet(sink.bytes());
    expect(metadata.row_groups.map((group) => Number(group.num_rows))).toEqual([...Array(10).fill(100), 50]);
    expect(rows).toHaveLength(1_050);
    expect(rows.map((row) => row.instruction)).toEqual(all.map((pair) => pair.instruction));
    expect(rows[1_049]).toMatchObject({ output: all[1_049]!.answer, codeclm: { run_id: 7 } });
  });

  it("closes a row group early when its text grows past the size limit", async () => {
    const { sink } = await exportTo("alpaca-parquet", [manyPairs(40)], false, { maxCharsPerGroup: 200 });
    const { metadata, rows } = await readParquet(sink.bytes());
    expect(metadata.row_groups.length).toBeGreaterThan(3);
    expect(rows).toHaveLength(40);
  });

  it("writes a valid empty file for no pairs", async () => {
    const { sink, count } = await exportTo("alpaca-parquet", [], true);
    expect(count).toBe(0);
    const { metadata, rows } = await readParquet(sink.bytes());
    expect(Number(metadata.num_rows)).toBe(0);
    expect(rows).toEqual([]);
    expect(metadata.schema.map((element) => element.name)).toEqual(
      expect.arrayContaining(["codeclm", "run_id"]),
    );
  });
});

describe("determinism", () => {
  it.each([
    "chat",
    "alpaca",
    "sharegpt",
    "preference",
    "alpaca-parquet",
    "chat-parquet",
    "preference-parquet",
  ] as const)("%s: the same pairs give the same bytes, whatever the batch sizes", async (format) => {
    const all = manyPairs(500);
    const first = await exportTo(format, [all], true, { maxRowsPerGroup: 64 });
    const batches = [all.slice(0, 7), all.slice(7, 300), all.slice(300)];
    const second = await exportTo(format, batches, true, { maxRowsPerGroup: 64 });
    const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
    expect(first.sink.bytes().length).toBeGreaterThan(0);
    expect(digest(second.sink.bytes())).toBe(digest(first.sink.bytes()));
    const changed = await exportTo(
      format,
      [[...all.slice(0, 499), { ...all[499]!, answer: "changed" }]],
      true,
      {
        maxRowsPerGroup: 64,
      },
    );
    expect(digest(changed.sink.bytes())).not.toBe(digest(first.sink.bytes()));
  });
});

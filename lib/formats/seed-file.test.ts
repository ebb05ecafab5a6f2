import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  decodeSeedFile,
  detectSeedFileFormat,
  extractSeeds,
  parseSeedFile,
  seedContentHash,
  seedFileErrorMessages,
  summarizeSeedFile,
  type ParsedSeedFile,
} from "@/lib/formats/seed-file";
import { repoPath } from "@/lib/repo-root";

const dataDir = repoPath("data");

function parseDataFile(relativePath: string): ParsedSeedFile {
  const fileName = relativePath.split("/").pop()!;
  return parseSeedFile(decodeSeedFile(readFileSync(`${dataDir}/${relativePath}`), fileName).text, {
    fileName,
  });
}

function messages(
  text: string,
  fileName: string | null,
  instructionField = "instruction",
  inputField?: string,
): string[] {
  const parsed = parseSeedFile(text, { fileName });
  return seedFileErrorMessages(extractSeeds(parsed, { instructionField, inputField }));
}

describe("Self-Instruct seed_tasks.jsonl", () => {
  const parsed = parseDataFile("self-instruct/seed_tasks.jsonl");

  it("parses to 175 records with the nested instance fields selectable", () => {
    expect(parsed).toMatchObject({ format: "jsonl", rowCount: 175, errors: [], errorCount: 0 });
    expect(parsed.fields).toEqual([
      "id",
      "name",
      "instruction",
      "instances[0].input",
      "instances[0].output",
      "is_classification",
    ]);
    expect(parsed.suggestedInstructionField).toBe("instruction");
    expect(parsed.suggestedInputField).toBe("instances[0].input");
  });

  it("extracts 175 seeds with their first instance's input and their lines", () => {
    const { seeds, errors, duplicatesInFile } = extractSeeds(parsed, {
      instructionField: "instruction",
      inputField: "instances[0].input",
    });
    expect(errors).toEqual([]);
    expect(duplicatesInFile).toBe(0);
    expect(seeds).toHaveLength(175);
    expect(seeds[0]).toEqual({
      instruction:
        "Is there anything I can eat for a breakfast that doesn't include eggs, yet includes protein, and has roughly 700-1000 calories?",
      input: "",
      line: 1,
    });
    expect(seeds.map((seed) => seed.line)).toEqual(Array.from({ length: 175 }, (_, index) => index + 1));
    expect(seeds.filter((seed) => seed.input !== "").length).toBeGreaterThan(50);
  });

  it("previews the first 10 records flattened, without the records themselves in the summary", () => {
    const summary = summarizeSeedFile(parsed);
    expect(summary).not.toHaveProperty("records");
    expect(summary.preview).toHaveLength(10);
    expect(summary.preview[0]).toMatchObject({
      id: "seed_task_0",
      name: "breakfast_suggestion",
      is_classification: "false",
    });
    expect(summary.preview[0]!["instances[0].output"]).toMatch(
      /^Yes, you can have 1 oatmeal banana protein shake/,
    );
  });
});

describe("the evaluation sets", () => {
  it.each([
    ["self-instruct/user_oriented_instructions.jsonl", 252, "instruction", "instances[0].input"],
    ["vicuna-bench/question.jsonl", 80, "turns[0]", null],
    ["koala-testset/koala_test_set.jsonl", 180, "prompt", null],
    ["wizardlm-testset/WizardLM_testset.jsonl", 218, "Instruction", null],
    ["mt-bench/question.jsonl", 80, "turns[0]", null],
  ])("%s parses to %i records with instruction field %s", (file, count, instructionField, inputField) => {
    const parsed = parseDataFile(file);
    expect(parsed).toMatchObject({
      rowCount: count,
      errorCount: 0,
      suggestedInstructionField: instructionField,
      suggestedInputField: inputField,
    });
    const { seeds, errors } = extractSeeds(parsed, { instructionField, inputField });
    expect(errors).toEqual([]);
    expect(seeds).toHaveLength(count);
    expect(seeds.every((seed) => seed.instruction.length > 5)).toBe(true);
  });

  it("offers FastChat-style reference answers as choices[0].turns[0]", () => {
    const line = JSON.stringify({ question_id: 61, choices: [{ index: 0, turns: ["def f(): pass"] }] });
    expect(parseSeedFile(line, { fileName: "gpt-4.jsonl" }).fields).toContain("choices[0].turns[0]");
  });
});

describe("detectSeedFileFormat", () => {
  it.each([
    ["seeds.jsonl", '{"a":1}', "jsonl"],
    ["seeds.NDJSON", '{"a":1}', "jsonl"],
    ["seeds.json", '[{"a":1}]', "json"],
    ["seeds.json", '{"a":1}\n{"a":2}', "jsonl"], // JSON Lines saved as .json
    ["seeds.jsonl", '[\n{"a":1},\n{"a":2}\n]', "json"], // a JSON array saved as .jsonl
    ["seeds.csv", "instruction\nhi", "csv"],
    ["seeds.tsv", "instruction\thi", "tsv"],
    ["seeds.txt", '{"a":1}', "text"],
    ["notes.md", "Write a poem\nWrite a song", "text"],
    [null, '  [{"a":1},\n{"a":2}]\n', "json"],
    [null, '{"a":1}\n{"a":2}', "jsonl"],
    [null, '{\n  "instruction": "pretty-printed"\n}', "jsonl"],
    [null, "[Draft] write an email to my landlord\nSummarize this", "text"],
    [null, "instruction,input\nWrite a poem,about cats", "text"],
  ])("%s %j is %s", (fileName, text, expected) => {
    expect(detectSeedFileFormat(text, fileName)).toBe(expected);
  });

  it("lets an explicit format override the detection", () => {
    const parsed = parseSeedFile("instruction,input\nWrite a poem,about cats", { format: "csv" });
    expect(parsed).toMatchObject({ format: "csv", rowCount: 1, fields: ["instruction", "input"] });
  });
});

describe("JSON Lines", () => {
  it("names every broken line, skips blank lines and counts physical lines", () => {
    const text = [
      '{"instruction": "Write a poem"}',
      "",
      '{"instruction": "broken",}',
      '{"instruction": "Write a song"}',
      "[1, 2]",
      '{"instruction": "unterminated}',
    ].join("\r\n");
    const parsed = parseSeedFile(text, { fileName: "two-bad.jsonl" });
    expect(parsed.rowCount).toBe(5);
    expect(parsed.errorCount).toBe(3);
    const lines = seedFileErrorMessages(parsed);
    expect(lines[0]).toMatch(/^Line 3: invalid JSON \(.+ at column \d+\)$/);
    expect(lines[1]).toBe("Line 5: the line is an array, not a JSON object or string");
    expect(lines[2]).toMatch(/^Line 6: invalid JSON \(.+\)$/);
    // The good lines are still read, but the errors refuse the whole file.
    const extracted = extractSeeds(parsed, { instructionField: "instruction" });
    expect(extracted.seeds.map((seed) => seed.line)).toEqual([1, 4]);
    expect(extracted.errorCount).toBe(3);
  });

  it("reads a bare string per line as the field text", () => {
    const parsed = parseSeedFile('"Write a poem"\n"Write a song"', { fileName: "s.jsonl" });
    expect(parsed).toMatchObject({ fields: ["text"], suggestedInstructionField: "text" });
  });

  it("reports at most 20 problems and how many more there are", () => {
    const text = Array.from({ length: 60 }, (_, index) =>
      index % 20 === 0 ? '{"instruction":"ok"}' : "not json",
    ).join("\n");
    const parsed = parseSeedFile(text, { fileName: "bad.jsonl" });
    expect(parsed.errors).toHaveLength(20);
    expect(parsed.errorCount).toBe(57);
    const lines = seedFileErrorMessages(parsed);
    expect(lines).toHaveLength(21);
    expect(lines[0]).toMatch(/^Line 2: invalid JSON/);
    expect(lines[20]).toBe("…and 37 more");
  });
});

describe("extractSeeds", () => {
  const records = [
    '{"instruction": "  Fine\\r\\n  with inner lines  ", "input": " kept "}',
    '{"prompt": "no instruction"}',
    '{"instruction": "   "}',
    '{"instruction": 42}',
    '{"instruction": null}',
    '{"instruction": ["a"]}',
    '{"instruction": {"text": "a"}}',
    '{"instruction": "ok", "input": 7}',
    '{"instruction": "nul \\u0000 inside"}',
    '{"instruction": "no input is fine"}',
  ].join("\n");

  it("names the line and the reason for each unusable record", () => {
    expect(messages(records, "r.jsonl", "instruction", "input")).toEqual([
      'Line 2: missing field "instruction"',
      'Line 3: field "instruction" is empty',
      'Line 4: field "instruction" is a number, not a string',
      'Line 5: field "instruction" is null',
      'Line 6: field "instruction" is an array, not a string',
      'Line 7: field "instruction" is an object, not a string',
      'Line 8: field "input" is a number, not a string',
      'Line 9: field "instruction" contains a NUL character (\\u0000), which cannot be stored',
    ]);
  });

  it("trims the text, keeps inner newlines and treats a missing input as empty", () => {
    const parsed = parseSeedFile(records, { fileName: "r.jsonl" });
    const { seeds } = extractSeeds(parsed, { instructionField: "instruction", inputField: "input" });
    expect(seeds).toEqual([
      { instruction: "Fine\n  with inner lines", input: "kept", line: 1 },
      { instruction: "no input is fine", input: "", line: 10 },
    ]);
  });

  it("refuses fields the file does not have and the same field twice", () => {
    expect(messages('{"instruction":"a"}', "a.jsonl", "instructions")).toEqual([
      'The file has no field "instructions"',
    ]);
    expect(messages('{"instruction":"a"}', "a.jsonl", "instruction", "inptu")).toEqual([
      'The file has no field "inptu"',
    ]);
    expect(messages('{"instruction":"a"}', "a.jsonl", "instruction", "instruction")).toEqual([
      "The instruction and the input must come from different fields",
    ]);
  });

  it("counts exact duplicates within the file without refusing it", () => {
    const parsed = parseSeedFile("Write a poem\n  Write a poem  \nWrite a song\nWrite a poem", {
      fileName: "d.txt",
    });
    const result = extractSeeds(parsed, { instructionField: "text" });
    expect(result).toMatchObject({ errorCount: 0, duplicatesInFile: 2 });
    expect(result.seeds).toHaveLength(4);
  });
});

describe("JSON arrays", () => {
  it("gives each element the line where it starts", () => {
    const text =
      '[\n  {"instruction": "a"},\n  {\n    "instruction": "b",\n    "input": "x"\n  },\n  "just a string"\n]\n';
    const parsed = parseSeedFile(text, { fileName: "a.json" });
    expect(parsed).toMatchObject({
      format: "json",
      rowCount: 3,
      errorCount: 0,
      fields: ["instruction", "input", "text"],
    });
    expect(parsed.records.map((record) => record.line)).toEqual([2, 3, 7]);
  });

  it("names the broken elements by their first line", () => {
    const text =
      '[\n  {"instruction": "a"},\n  {"instruction": "b",\n   "input": x},\n  {"instruction": "c"},\n  42\n]';
    expect(messages(text, "a.json")).toEqual([
      expect.stringMatching(/^Line 3: invalid JSON \(Unexpected token/),
      "Line 6: the array element is a number, not a JSON object or string",
    ]);
  });

  it("explains structural mistakes", () => {
    expect(messages('[\n{"instruction": "a"},\n]', "a.json")).toEqual(["Line 3: trailing comma before ]"]);
    expect(messages('[\n{"instruction": "a"},,\n{"instruction": "b"}]', "a.json")).toEqual([
      "Line 2: extra comma in the array",
    ]);
    expect(messages('[\n{"instruction": "a"}\n{"instruction": "b"}\n]', "a.json")).toEqual([
      "Line 2: two array elements without a comma between them",
    ]);
    expect(messages('[\n{"instruction": "a"},\n{"instruction": "b"}', "a.json")).toEqual([
      "Line 3: the JSON array is not closed with ]",
    ]);
    expect(messages('[{"instruction": "a"}]\nextra', "a.json")).toEqual([
      "Line 2: unexpected text after the closing ] of the JSON array",
    ]);
    expect(messages('{"data": [{"instruction": "a"}]}', "a.json")).toEqual([
      'Line 1: expected a JSON array of objects or strings, found an object (its "data" field holds an array: save that array on its own)',
    ]);
    expect(messages("[]", "a.json")).toEqual(["The file holds no records"]);
  });

  it("does not split on commas or brackets inside strings", () => {
    const parsed = parseSeedFile('[{"instruction": "a, b ] } [ \\" {"}, {"instruction": "c"}]', {
      fileName: "a.json",
    });
    expect(parsed.errorCount).toBe(0);
    expect(
      extractSeeds(parsed, { instructionField: "instruction" }).seeds.map((seed) => seed.instruction),
    ).toEqual(['a, b ] } [ " {', "c"]);
  });
});

describe("CSV and TSV", () => {
  it("reads quoted multi-line fields and reports later rows on their real line", () => {
    const text =
      'instruction,input\r\n"Write a poem\r\nabout ""cats""",short\n\nTranslate,"Bonjour, le monde"\n"bad"x,1\n';
    const parsed = parseSeedFile(text, { fileName: "seeds.csv" });
    expect(parsed.fields).toEqual(["instruction", "input"]);
    expect(parsed.records.map((record) => record.line)).toEqual([2, 5]);
    expect(seedFileErrorMessages(parsed)).toEqual([
      'Line 6: a quoted field has text after its closing " (write a quote inside a field as "")',
    ]);
    const seeds = extractSeeds(parsed, { instructionField: "instruction", inputField: "input" }).seeds;
    expect(seeds[0]).toEqual({ instruction: 'Write a poem\nabout "cats"', input: "short", line: 2 });
    expect(seeds[1]).toEqual({ instruction: "Translate", input: "Bonjour, le monde", line: 5 });
  });

  it("names rows with the wrong number of fields, all of them", () => {
    const text = "instruction,input\nok,1\nmissing\nok,2\ntoo,many,fields\n";
    expect(seedFileErrorMessages(parseSeedFile(text, { fileName: "s.csv" }))).toEqual([
      "Line 3: expected 2 fields as in the header row, found 1",
      "Line 5: expected 2 fields as in the header row, found 3",
    ]);
  });

  it("requires a header row naming every column once", () => {
    expect(messages("instruction,,input\na,b,c", "s.csv")).toEqual([
      "Line 1: the header row names no field for column 2 (the first row must name every column)",
    ]);
    expect(messages("instruction,instruction\na,b", "s.csv")).toEqual([
      'Line 1: the header row names the field "instruction" twice',
    ]);
    expect(messages("instruction,input\n", "s.csv")).toEqual(["The file has a header row but no data rows"]);
  });

  it("reports an unclosed quote on the row where it starts", () => {
    expect(messages('instruction,input\nfine,1\n"never closed,2\nnext,3\n', "s.csv")).toEqual([
      'Line 3: a quoted field is never closed (a closing " is missing)',
    ]);
  });

  it("guesses a semicolon delimiter, reads TSV, and skips rows of empty cells", () => {
    const semicolon = parseSeedFile("Prompt;Context\nHello, world;x\n;\n", { fileName: "excel.csv" });
    expect(semicolon).toMatchObject({
      rowCount: 1,
      fields: ["Prompt", "Context"],
      suggestedInstructionField: "Prompt",
      suggestedInputField: "Context",
    });
    const tsv = parseSeedFile("question\tanswer\nWhy, though?\tBecause\n", { fileName: "qa.tsv" });
    expect(extractSeeds(tsv, { instructionField: "question" }).seeds).toEqual([
      { instruction: "Why, though?", input: "", line: 2 },
    ]);
  });
});

describe("plain text", () => {
  it("takes one instruction per non-empty line, on its own line number", () => {
    const parsed = parseSeedFile("\uFEFFWrite a poem\n\n   \nSummarize: the text\r\nPlan a trip\n", {
      fileName: "seeds.txt",
    });
    expect(parsed).toMatchObject({
      format: "text",
      rowCount: 3,
      fields: ["text"],
      suggestedInstructionField: "text",
      suggestedInputField: null,
    });
    expect(extractSeeds(parsed, { instructionField: "text" }).seeds).toEqual([
      { instruction: "Write a poem", input: "", line: 1 },
      { instruction: "Summarize: the text", input: "", line: 4 },
      { instruction: "Plan a trip", input: "", line: 5 },
    ]);
  });
});

describe("field suggestions", () => {
  it("falls back to the string field with the longest values when no name is known", () => {
    const parsed = parseSeedFile('{"id": "t1", "ask": "Explain photosynthesis to a child", "n": 3}', {
      fileName: "x.jsonl",
    });
    expect(parsed).toMatchObject({ suggestedInstructionField: "ask", suggestedInputField: null });
  });

  it("uses context as the input (Dolly) and does not reuse the instruction field", () => {
    const dolly = parseSeedFile('{"instruction": "Summarize", "context": "Long text", "response": "Short"}', {
      fileName: "d.jsonl",
    });
    expect(dolly.suggestedInputField).toBe("context");
    const onlyInput = parseSeedFile('{"input": "Summarize this", "output": "ok"}', { fileName: "d.jsonl" });
    expect(onlyInput).toMatchObject({ suggestedInstructionField: "input", suggestedInputField: null });
  });

  it("shortens long preview values", () => {
    const parsed = parseSeedFile(JSON.stringify({ instruction: "x".repeat(2000) }), { fileName: "l.jsonl" });
    expect(parsed.preview[0]!.instruction).toBe(`${"x".repeat(500)}…`);
  });
});

describe("seedContentHash", () => {
  it("is the same for text that differs only in surrounding whitespace", () => {
    expect(seedContentHash(" Write a poem\n", "")).toBe(seedContentHash("Write a poem", ""));
    expect(seedContentHash("Write a poem", "")).toMatch(/^[0-9a-f]{64}$/);
  });

  it("tells apart where the instruction ends and the input begins", () => {
    expect(seedContentHash("ab", "c")).not.toBe(seedContentHash("a", "bc"));
    expect(seedContentHash("Write a poem", "about cats")).not.toBe(seedContentHash("Write a poem", ""));
  });
});

describe("scale", () => {
  // Its speed (≥ 20,000 lines/s end to end) is measured by `npm run bench` (seed-import), not asserted here.
  it("parses and extracts 100,000 JSON lines", () => {
    const lines = Array.from({ length: 100_000 }, (_, index) =>
      JSON.stringify({
        instruction: `Write task number ${index} about topic ${index % 97}`,
        input: index % 3 === 0 ? `input ${index}` : "",
      }),
    );
    const parsed = parseSeedFile(lines.join("\n"), { fileName: "big.jsonl" });
    const { seeds, errorCount } = extractSeeds(parsed, {
      instructionField: "instruction",
      inputField: "input",
    });
    expect(errorCount).toBe(0);
    expect(seeds).toHaveLength(100_000);
    expect(seeds[99_999]).toMatchObject({
      instruction: "Write task number 99999 about topic 89",
      input: "input 99999",
    });
  });
});

describe("text repair on import", () => {
  it("imports JSON-escaped lone surrogates as U+FFFD", () => {
    const text = '{"instruction":"Explain \\ud83e emoji \\udc00 bytes"}\n';
    const parsed = parseSeedFile(text, { fileName: "broken.jsonl" });
    const { seeds, errors } = extractSeeds(parsed, { instructionField: "instruction" });
    expect(errors).toEqual([]);
    expect(seeds[0]!.instruction).toBe("Explain \uFFFD emoji \uFFFD bytes");
  });
});

import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { parseSeedFile } from "@/lib/formats/seed-file";
import { extractEvalItems, previewEvalSetFile, readEvalSetFile, suggestCategoryField } from "./eval-set-file";

const bytes = (text: string) => new TextEncoder().encode(text);
const jsonl = (...records: unknown[]) => records.map((record) => JSON.stringify(record)).join("\n");

describe("extractEvalItems", () => {
  it("adds the category and the record's id to the seed extraction", () => {
    const parsed = parseSeedFile(
      jsonl(
        { question_id: 7, category: "writing", turns: ["Write a haiku about rain."] },
        { question_id: 8, category: " math ", turns: ["What is 2 + 2?"] },
        { question_id: 9, turns: ["Name a colour."] },
      ),
      { format: "jsonl" },
    );
    const result = extractEvalItems(parsed, {
      instructionField: "turns[0]",
      categoryField: "category",
      idField: "question_id",
    });
    expect(result.errorCount).toBe(0);
    expect(
      result.items.map(({ instruction, category, sourceId, line }) => ({
        instruction,
        category,
        sourceId,
        line,
      })),
    ).toEqual([
      { instruction: "Write a haiku about rain.", category: "writing", sourceId: "7", line: 1 },
      { instruction: "What is 2 + 2?", category: "math", sourceId: "8", line: 2 },
      { instruction: "Name a colour.", category: null, sourceId: "9", line: 3 },
    ]);
  });

  it("names each line whose category is not a label, with the seed checks' problems in line order", () => {
    const parsed = parseSeedFile(
      jsonl(
        { prompt: "ok", type: "a" },
        { prompt: "", type: "b" },
        { prompt: "fine", type: { nested: true } },
      ),
      { format: "jsonl" },
    );
    const result = extractEvalItems(parsed, { instructionField: "prompt", categoryField: "type" });
    expect(result.errors.map((issue) => issue.message)).toEqual([
      'Line 2: field "prompt" is empty',
      'Line 3: field "type" is an object, not a label',
    ]);
    expect(result.items).toHaveLength(1);
  });

  it("refuses a category field the file does not have", () => {
    const parsed = parseSeedFile(jsonl({ prompt: "hello there" }), { format: "jsonl" });
    expect(
      extractEvalItems(parsed, { instructionField: "prompt", categoryField: "skill" }).errors[0]!.message,
    ).toBe('The file has no field "skill"');
  });
});

describe("suggestCategoryField", () => {
  it.each([
    [{ Instruction: "x", Skill: "Math", idx: 1 }, "Skill"],
    [{ instruction: "x", motivation_app: "Grammarly" }, "motivation_app"],
    [{ prompt: "x", id: "koala_0" }, null],
  ])("%j → %s", (record, expected) => {
    expect(suggestCategoryField(parseSeedFile(jsonl(record), { format: "jsonl" }))).toBe(expected);
  });
});

describe("readEvalSetFile", () => {
  it("uses the suggested fields unless told otherwise, and '' turns a field off", () => {
    const file = bytes(
      jsonl({ instruction: "Summarize this.", input: "Long text.", category: "summary", id: "a" }),
    );
    const read = readEvalSetFile({ bytes: file, fileName: "held-out.jsonl" });
    expect(read.fields).toEqual({
      instructionField: "instruction",
      inputField: "input",
      categoryField: "category",
      idField: "id",
    });
    expect(read.items[0]).toMatchObject({
      instruction: "Summarize this.",
      input: "Long text.",
      category: "summary",
      sourceId: "a",
    });
    const withoutCategory = readEvalSetFile({ bytes: file, fileName: "held-out.jsonl", categoryField: "" });
    expect(withoutCategory.items[0]!.category).toBeNull();
  });

  it("reads plain text one instruction per line", () => {
    const read = readEvalSetFile({ bytes: bytes("Write a poem.\n\nExplain DNS.\n"), fileName: "eval.txt" });
    expect(read.items.map((item) => item.instruction)).toEqual(["Write a poem.", "Explain DNS."]);
    expect(read.format).toBe("text");
  });

  it("refuses a file with a broken line whole, naming the line", () => {
    let error: unknown;
    try {
      readEvalSetFile({
        bytes: bytes('{"prompt": "a"}\n{"prompt": \n{"prompt": "c"}'),
        fileName: "broken.jsonl",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/broken\.jsonl was not imported: 1 problem/);
    expect(((error as AppError).details as { lines: string[] }).lines[0]).toMatch(/^Line 2:/);
  });

  it("previews with the category suggestion", () => {
    const preview = previewEvalSetFile({
      bytes: bytes(jsonl({ Instruction: "Do x.", Skill: "Code" })),
      fileName: "w.jsonl",
    });
    expect(preview).toMatchObject({
      rowCount: 1,
      suggestedInstructionField: "Instruction",
      suggestedCategoryField: "Skill",
    });
  });
});

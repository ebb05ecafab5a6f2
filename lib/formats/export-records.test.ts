import { describe, expect, it } from "vitest";
import {
  formatRecordLine,
  isRecordFormat,
  toAlpacaRecord,
  toChatRecord,
  toShareGptRecord,
  type KeptPair,
} from "@/lib/formats/export-records";

const pair: KeptPair = {
  instruction: "Write a haiku about\nthe sea.",
  answer: "Waves fold into foam\nsalt wind carries gull voices\nthe tide keeps its time",
  useCase: "creative writing",
  skills: ["poetry", "imagery"],
  iteration: 2,
  strongScore: 8.5,
  targetScore: 4.333333333,
  gap: 4.166666667,
  kept: "strong",
  runId: 7,
};

describe("export records", () => {
  it("writes the chat format with the codeclm provenance", () => {
    expect(toChatRecord(pair)).toEqual({
      messages: [
        { role: "user", content: pair.instruction },
        { role: "assistant", content: pair.answer },
      ],
      codeclm: {
        use_case: "creative writing",
        skills: ["poetry", "imagery"],
        iteration: 2,
        strong_score: 8.5,
        target_score: 4.3333,
        gap: 4.1667,
        kept: "strong",
        run_id: 7,
      },
    });
  });

  it("writes alpaca and sharegpt, putting an input after the instruction in chat turns", () => {
    const withInput = { ...pair, input: "Tone: calm", kept: "target" as const, gap: -3.5 };
    const alpaca = toAlpacaRecord(withInput);
    expect(alpaca).toMatchObject({ instruction: pair.instruction, input: "Tone: calm", output: pair.answer });
    expect(alpaca.codeclm).toMatchObject({ kept: "target", gap: -3.5 });
    expect(toAlpacaRecord(pair).input).toBe("");
    const sharegpt = toShareGptRecord(withInput);
    expect(sharegpt.conversations).toEqual([
      { from: "human", value: `${pair.instruction}\n\nTone: calm` },
      { from: "gpt", value: pair.answer },
    ]);
  });

  it("formats one record per line that parses back", () => {
    for (const format of ["chat", "alpaca", "sharegpt"] as const) {
      const line = formatRecordLine(pair, format);
      expect(line.endsWith("\n")).toBe(true);
      expect(line.slice(0, -1)).not.toContain("\n");
      expect(JSON.parse(line)).toHaveProperty("codeclm.run_id", 7);
    }
  });

  it("keeps missing scores as null", () => {
    const record = toChatRecord({ ...pair, strongScore: null, targetScore: null, gap: null });
    expect(record.codeclm).toMatchObject({ strong_score: null, target_score: null, gap: null });
  });

  it("recognizes the formats", () => {
    expect(isRecordFormat("sharegpt")).toBe(true);
    expect(isRecordFormat("parquet")).toBe(false);
  });
});

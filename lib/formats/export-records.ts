// Training-format records for kept instruction–answer pairs: OpenAI chat `messages`, Alpaca
// (instruction/input/output) and ShareGPT (`conversations`), each with a `codeclm` provenance object. Pure:
// used by the CLI and by the web export alike.

export const recordFormats = ["chat", "alpaca", "sharegpt"] as const;
export type RecordFormat = (typeof recordFormats)[number];

/** One kept pair with what the method knows about it. */
export interface KeptPair {
  instruction: string;
  /** Alpaca-style input; CodecLM's instructions are self-contained, so usually empty. */
  input?: string;
  answer: string;
  useCase: string;
  skills: readonly string[];
  iteration: number;
  strongScore: number | null;
  targetScore: number | null;
  gap: number | null;
  kept: "strong" | "target";
  runId: number;
}

export interface CodeclmProvenance {
  use_case: string;
  skills: string[];
  iteration: number;
  strong_score: number | null;
  target_score: number | null;
  gap: number | null;
  kept: "strong" | "target";
  run_id: number;
}

export interface ChatRecord {
  messages: [{ role: "user"; content: string }, { role: "assistant"; content: string }];
  codeclm: CodeclmProvenance;
}

export interface AlpacaRecord {
  instruction: string;
  input: string;
  output: string;
  codeclm: CodeclmProvenance;
}

export interface ShareGptRecord {
  conversations: [{ from: "human"; value: string }, { from: "gpt"; value: string }];
  codeclm: CodeclmProvenance;
}

export type TrainingRecord = ChatRecord | AlpacaRecord | ShareGptRecord;

/** Scores rounded to 4 decimals: averages of two judge scores need no more, and floats print cleanly. */
function score(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 10_000) / 10_000;
}

export function provenance(pair: KeptPair): CodeclmProvenance {
  return {
    use_case: pair.useCase,
    skills: [...pair.skills],
    iteration: pair.iteration,
    strong_score: score(pair.strongScore),
    target_score: score(pair.targetScore),
    gap: score(pair.gap),
    kept: pair.kept,
    run_id: pair.runId,
  };
}

/** The user turn of chat-style formats: the instruction, then its input (if any) after a blank line. */
export function userTurn(pair: Pick<KeptPair, "instruction" | "input">): string {
  const input = pair.input?.trim();
  return input ? `${pair.instruction}\n\n${input}` : pair.instruction;
}

export function toChatRecord(pair: KeptPair): ChatRecord {
  return {
    messages: [
      { role: "user", content: userTurn(pair) },
      { role: "assistant", content: pair.answer },
    ],
    codeclm: provenance(pair),
  };
}

export function toAlpacaRecord(pair: KeptPair): AlpacaRecord {
  return {
    instruction: pair.instruction,
    input: pair.input ?? "",
    output: pair.answer,
    codeclm: provenance(pair),
  };
}

export function toShareGptRecord(pair: KeptPair): ShareGptRecord {
  return {
    conversations: [
      { from: "human", value: userTurn(pair) },
      { from: "gpt", value: pair.answer },
    ],
    codeclm: provenance(pair),
  };
}

export function toTrainingRecord(pair: KeptPair, format: RecordFormat): TrainingRecord {
  switch (format) {
    case "chat":
      return toChatRecord(pair);
    case "alpaca":
      return toAlpacaRecord(pair);
    case "sharegpt":
      return toShareGptRecord(pair);
  }
}

/** One JSON Lines line, newline included. JSON.stringify escapes line breaks inside strings, so a record is one line. */
export function formatRecordLine(pair: KeptPair, format: RecordFormat): string {
  return `${JSON.stringify(toTrainingRecord(pair, format))}\n`;
}

export function isRecordFormat(value: string): value is RecordFormat {
  return (recordFormats as readonly string[]).includes(value);
}

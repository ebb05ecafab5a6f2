// Training-format records for kept instruction–answer pairs, each with a `codeclm` provenance object. SFT shapes:
// OpenAI chat `messages`, Alpaca (instruction/input/output), ShareGPT (`conversations`). Preference shapes (the
// kept answer is `chosen`, the other side's answer `rejected`, the judged gap the `margin`): TRL DPOTrainer's
// conversational preference (`prompt`/`chosen`/`rejected` as message lists) and LLaMA-Factory's ShareGPT-style
// preference (`conversations` + `chosen`/`rejected` messages). Pure: the CLI and the web export both use it; the
// JSONL and Parquet writers both write these very objects, so field names and types match. Text is repaired
// (lone surrogates → U+FFFD) on the way out.
import { repairText } from "@/lib/formats/text-repair";

export const recordFormats = ["chat", "alpaca", "sharegpt", "preference", "preference-sharegpt"] as const;
export type RecordFormat = (typeof recordFormats)[number];

export const preferenceFormats: readonly RecordFormat[] = ["preference", "preference-sharegpt"];

/** What full provenance adds: everything needed to trace a record back through the method. */
export interface FullProvenanceSource {
  versionId: number;
  metadataId: number;
  metadataOrigin: string;
  /** The texts from the basic instruction (iteration 1) to this one, with the action that made each. */
  chain: Array<{ iteration: number; action: string | null; text: string }>;
  strongAnswer: string;
  targetAnswer: string;
  /** The judge's four scores: order A shows the strong answer first, order B the target answer first. */
  strongScoreOrderA: number | null;
  targetScoreOrderA: number | null;
  strongScoreOrderB: number | null;
  targetScoreOrderB: number | null;
  strongModel: string | null;
  targetModel: string | null;
  judgeModel: string | null;
  /** Prompt versions of the generating step (decode@1, improve@1, …) and of the judge. */
  promptVersion: string;
  judgePromptVersion: string | null;
  /** sha256 of the run's configuration snapshot. */
  runConfigSha256: string;
}

/** One kept pair with what the method knows about it. */
export interface KeptPair {
  instruction: string;
  /** Alpaca-style input; CodecLM's instructions are self-contained, so usually empty. */
  input?: string;
  answer: string;
  /** The other side's answer (the preference shapes' `rejected`); absent when it was not read. */
  rejectedAnswer?: string;
  useCase: string;
  skills: readonly string[];
  iteration: number;
  strongScore: number | null;
  targetScore: number | null;
  gap: number | null;
  kept: "strong" | "target";
  runId: number;
  /** Present when the export asks for full provenance. */
  full?: FullProvenanceSource;
}

export interface CodeclmFullProvenance {
  version_id: number;
  metadata_id: number;
  metadata_origin: string;
  chain: Array<{ iteration: number; action: string | null; text: string }>;
  strong_answer: string;
  target_answer: string;
  strong_score_order_a: number | null;
  target_score_order_a: number | null;
  strong_score_order_b: number | null;
  target_score_order_b: number | null;
  strong_model: string | null;
  target_model: string | null;
  judge_model: string | null;
  prompt_version: string;
  judge_prompt_version: string | null;
  run_config_sha256: string;
}

export interface CodeclmProvenance extends Partial<CodeclmFullProvenance> {
  use_case: string;
  skills: string[];
  iteration: number;
  strong_score: number | null;
  target_score: number | null;
  gap: number | null;
  kept: "strong" | "target";
  run_id: number;
}

type UserMessage = { role: "user"; content: string };
type AssistantMessage = { role: "assistant"; content: string };
type HumanTurn = { from: "human"; value: string };
type GptTurn = { from: "gpt"; value: string };

export interface ChatRecord {
  messages: [UserMessage, AssistantMessage];
  codeclm: CodeclmProvenance;
}

export interface AlpacaRecord {
  instruction: string;
  input: string;
  output: string;
  codeclm: CodeclmProvenance;
}

export interface ShareGptRecord {
  conversations: [HumanTurn, GptTurn];
  codeclm: CodeclmProvenance;
}

/** TRL DPOTrainer's conversational preference type (explicit prompt). */
export interface PreferenceRecord {
  prompt: [UserMessage];
  chosen: [AssistantMessage];
  rejected: [AssistantMessage];
  /** The chosen answer's judged score minus the rejected one's (|gap|). */
  margin: number | null;
  codeclm: CodeclmProvenance;
}

/** LLaMA-Factory's preference dataset in ShareGPT form (`ranking: true`). */
export interface PreferenceShareGptRecord {
  conversations: [HumanTurn];
  chosen: GptTurn;
  rejected: GptTurn;
  margin: number | null;
  codeclm: CodeclmProvenance;
}

export type TrainingRecord =
  ChatRecord | AlpacaRecord | ShareGptRecord | PreferenceRecord | PreferenceShareGptRecord;

/** Scores rounded to 4 decimals: averages of two judge scores need no more, and floats print cleanly. */
function score(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : Math.round(value * 10_000) / 10_000;
}

function fullProvenance(full: FullProvenanceSource): CodeclmFullProvenance {
  return {
    version_id: full.versionId,
    metadata_id: full.metadataId,
    metadata_origin: full.metadataOrigin,
    chain: full.chain.map((step) => ({
      iteration: step.iteration,
      action: step.action === null ? null : repairText(step.action),
      text: repairText(step.text),
    })),
    strong_answer: repairText(full.strongAnswer),
    target_answer: repairText(full.targetAnswer),
    strong_score_order_a: score(full.strongScoreOrderA),
    target_score_order_a: score(full.targetScoreOrderA),
    strong_score_order_b: score(full.strongScoreOrderB),
    target_score_order_b: score(full.targetScoreOrderB),
    strong_model: full.strongModel,
    target_model: full.targetModel,
    judge_model: full.judgeModel,
    prompt_version: full.promptVersion,
    judge_prompt_version: full.judgePromptVersion,
    run_config_sha256: full.runConfigSha256,
  };
}

export function provenance(pair: KeptPair): CodeclmProvenance {
  return {
    use_case: repairText(pair.useCase),
    skills: pair.skills.map(repairText),
    iteration: pair.iteration,
    strong_score: score(pair.strongScore),
    target_score: score(pair.targetScore),
    gap: score(pair.gap),
    kept: pair.kept,
    run_id: pair.runId,
    ...(pair.full ? fullProvenance(pair.full) : {}),
  };
}

/** The user turn of chat-style formats: the instruction, then its input (if any) after a blank line. */
export function userTurn(pair: Pick<KeptPair, "instruction" | "input">): string {
  const input = pair.input?.trim();
  return repairText(input ? `${pair.instruction}\n\n${input}` : pair.instruction);
}

/** The preference margin: how much better the chosen answer was judged than the rejected one. */
export function preferenceMargin(pair: Pick<KeptPair, "gap">): number | null {
  const gap = score(pair.gap);
  return gap === null ? null : Math.abs(gap);
}

function rejectedOf(pair: KeptPair): string {
  if (pair.rejectedAnswer === undefined) {
    throw new Error("A preference record needs the rejected answer: read it with the kept pair");
  }
  return repairText(pair.rejectedAnswer);
}

export function toChatRecord(pair: KeptPair): ChatRecord {
  return {
    messages: [
      { role: "user", content: userTurn(pair) },
      { role: "assistant", content: repairText(pair.answer) },
    ],
    codeclm: provenance(pair),
  };
}

export function toAlpacaRecord(pair: KeptPair): AlpacaRecord {
  return {
    instruction: repairText(pair.instruction),
    input: repairText(pair.input ?? ""),
    output: repairText(pair.answer),
    codeclm: provenance(pair),
  };
}

export function toShareGptRecord(pair: KeptPair): ShareGptRecord {
  return {
    conversations: [
      { from: "human", value: userTurn(pair) },
      { from: "gpt", value: repairText(pair.answer) },
    ],
    codeclm: provenance(pair),
  };
}

export function toPreferenceRecord(pair: KeptPair): PreferenceRecord {
  return {
    prompt: [{ role: "user", content: userTurn(pair) }],
    chosen: [{ role: "assistant", content: repairText(pair.answer) }],
    rejected: [{ role: "assistant", content: rejectedOf(pair) }],
    margin: preferenceMargin(pair),
    codeclm: provenance(pair),
  };
}

export function toPreferenceShareGptRecord(pair: KeptPair): PreferenceShareGptRecord {
  return {
    conversations: [{ from: "human", value: userTurn(pair) }],
    chosen: { from: "gpt", value: repairText(pair.answer) },
    rejected: { from: "gpt", value: rejectedOf(pair) },
    margin: preferenceMargin(pair),
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
    case "preference":
      return toPreferenceRecord(pair);
    case "preference-sharegpt":
      return toPreferenceShareGptRecord(pair);
  }
}

/** The record with its keys in the same order, minus `codeclm`. */
export function withoutProvenance(record: TrainingRecord): object {
  const { codeclm, ...rest } = record;
  void codeclm;
  return rest;
}

/** One JSON Lines line, newline included. JSON.stringify escapes line breaks inside strings, so a record is one line. */
export function formatRecordLine(pair: KeptPair, format: RecordFormat, includeProvenance = true): string {
  const record = toTrainingRecord(pair, format);
  return `${JSON.stringify(includeProvenance ? record : withoutProvenance(record))}\n`;
}

export function isRecordFormat(value: string): value is RecordFormat {
  return (recordFormats as readonly string[]).includes(value);
}

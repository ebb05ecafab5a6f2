// The public evaluation sets of the paper (App. A.1) and MT-Bench, read from the repo's data/ folder (or
// CODECLM_PUBLIC_DATA_DIR) with the same importers as any user file. Each carries its licence and what its authors
// ask, shown wherever the set is offered. See data/SOURCES.md for provenance.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { repoPath } from "@/lib/repo-root";
import { readEvalSetFile, type EvalItem, type EvalSetFields } from "@/lib/evaluation/eval-set-file";

export interface PublicSetDefinition {
  /** The name used by the CLI's --set and stored as the set's sourceName. */
  name: string;
  aliases: string[];
  title: string;
  description: string;
  /** Relative to the data folder. */
  file: string;
  fields: Required<EvalSetFields>;
  count: number;
  license: string;
  /** Licence files, relative to the data folder. */
  licenseFiles: string[];
  notice: string;
  origin: string;
}

export const publicSetDefinitions: readonly PublicSetDefinition[] = [
  {
    name: "evol-instruct-218",
    aliases: ["evol-instruct", "wizardlm", "wizardlm-218"],
    title: "Evol-Instruct test (WizardLM), 218",
    description: "Real-world human instructions from open-source projects, platforms and forums; 29 skills.",
    file: "wizardlm-testset/WizardLM_testset.jsonl",
    fields: { instructionField: "Instruction", inputField: null, categoryField: "Skill", idField: "idx" },
    count: 218,
    license: "CC BY-NC 4.0",
    licenseFiles: ["wizardlm-testset/DATA_LICENSE", "wizardlm-testset/CODE_LICENSE"],
    notice:
      "Data licence CC BY-NC 4.0: for academic research only, not for commercial use. An evaluation set: keep it out of training data.",
    origin: "nlpxucan/WizardLM, WizardLM/data/WizardLM_testset.jsonl",
  },
  {
    name: "vicuna-80",
    aliases: ["vicuna"],
    title: "Vicuna, 80",
    description: "Questions written by GPT-4 through prompt engineering, in 9 categories.",
    file: "vicuna-bench/question.jsonl",
    fields: {
      instructionField: "turns[0]",
      inputField: null,
      categoryField: "category",
      idField: "question_id",
    },
    count: 80,
    license: "Apache-2.0",
    licenseFiles: ["vicuna-bench/LICENSE"],
    notice: "Apache-2.0 (lm-sys/FastChat).",
    origin: "lm-sys/FastChat, fastchat/llm_judge/data/vicuna_bench/question.jsonl",
  },
  {
    name: "self-instruct-252",
    aliases: ["self-instruct", "self-instruct-user-oriented", "user-oriented"],
    title: "Self-Instruct user-oriented, 252",
    description:
      "Expert-written instructions for 71 apps (the app is the category); the first instance is the input.",
    file: "self-instruct/user_oriented_instructions.jsonl",
    fields: {
      instructionField: "instruction",
      inputField: "instances[0].input",
      categoryField: "motivation_app",
      idField: "id",
    },
    count: 252,
    license: "Apache-2.0",
    licenseFiles: ["self-instruct/LICENSE"],
    notice:
      "Apache-2.0 (yizhongw/self-instruct). The authors ask: “Please don't hack this evaluation set and don't use it for any training purpose!”",
    origin: "yizhongw/self-instruct, human_eval/user_oriented_instructions.jsonl",
  },
  {
    name: "koala-180",
    aliases: ["koala"],
    title: "Koala, 180",
    description: "Conversation-style instructions real users posted online. No categories.",
    file: "koala-testset/koala_test_set.jsonl",
    fields: { instructionField: "prompt", inputField: null, categoryField: null, idField: "id" },
    count: 180,
    license: "Apache-2.0",
    licenseFiles: ["koala-testset/LICENSE"],
    notice:
      "Apache-2.0; released for academic use. The authors ask: “Please do not use this test set for training purposes”.",
    origin: "arnav-gudibande/koala-test-set, koala_test_set.jsonl",
  },
  {
    name: "mt-bench-80",
    aliases: ["mt-bench", "mtbench"],
    title: "MT-Bench first turns, 80",
    description:
      "The first turn of each MT-Bench question, in 8 categories (not in the paper; the second turns are not used).",
    file: "mt-bench/question.jsonl",
    fields: {
      instructionField: "turns[0]",
      inputField: null,
      categoryField: "category",
      idField: "question_id",
    },
    count: 80,
    license: "Apache-2.0",
    licenseFiles: ["mt-bench/LICENSE"],
    notice: "Apache-2.0 (lm-sys/FastChat).",
    origin: "lm-sys/FastChat, fastchat/llm_judge/data/mt_bench/question.jsonl",
  },
];

/** The public data folder: CODECLM_PUBLIC_DATA_DIR, else the repo's own data/ (found from the repo, not the cwd). */
export function publicDataDir(): string {
  return env.CODECLM_PUBLIC_DATA_DIR ? path.resolve(env.CODECLM_PUBLIC_DATA_DIR) : repoPath("data");
}

export function findPublicSet(name: string): PublicSetDefinition | null {
  const key = name.trim().toLowerCase();
  return publicSetDefinitions.find((set) => set.name === key || set.aliases.includes(key)) ?? null;
}

function missingDataError(file: string, dataDir: string): AppError {
  return new AppError(
    "unavailable",
    `The public evaluation sets are not available: ${path.join(dataDir, file)} does not exist. The ` +
      `repository ships them in data/: restore that folder (git checkout -- data) or point CODECLM_PUBLIC_DATA_DIR ` +
      `at a copy of it.`,
  );
}

export interface PublicSetSummary extends Omit<PublicSetDefinition, "fields" | "licenseFiles" | "aliases"> {
  available: boolean;
}

/** Every public set with whether its file is present, for the UI's list. */
export function listPublicSets(dataDir = publicDataDir()): PublicSetSummary[] {
  return publicSetDefinitions.map(
    ({ fields: _fields, licenseFiles: _licenseFiles, aliases: _aliases, ...summary }) => ({
      ...summary,
      available: existsSync(path.join(dataDir, summary.file)),
    }),
  );
}

export interface LoadedPublicSet {
  definition: PublicSetDefinition;
  items: EvalItem[];
  sha256: string;
}

/** Reads a public set by name (or alias). Throws not_found for an unknown name, unavailable when the file is absent. */
export function loadPublicSet(name: string, dataDir = publicDataDir()): LoadedPublicSet {
  const definition = findPublicSet(name);
  if (!definition) {
    throw new AppError(
      "not_found",
      `There is no public evaluation set "${name}"; known: ${publicSetDefinitions.map((set) => set.name).join(", ")}`,
    );
  }
  const file = path.join(dataDir, definition.file);
  if (!existsSync(file)) throw missingDataError(definition.file, dataDir);
  const read = readEvalSetFile({
    bytes: readFileSync(file),
    fileName: path.basename(file),
    format: "jsonl",
    ...definition.fields,
  });
  return { definition, items: read.items, sha256: read.sha256 };
}

/** The full licence text(s) of a public set, for the "licence" disclosure next to it. */
export function readPublicSetLicense(name: string, dataDir = publicDataDir()): string {
  const definition = findPublicSet(name);
  if (!definition) throw new AppError("not_found", `There is no public evaluation set "${name}"`);
  return definition.licenseFiles
    .map((relative) => {
      const file = path.join(dataDir, relative);
      if (!existsSync(file)) throw missingDataError(relative, dataDir);
      return `${relative}\n\n${readFileSync(file, "utf8").trim()}`;
    })
    .join("\n\n――――――――\n\n");
}

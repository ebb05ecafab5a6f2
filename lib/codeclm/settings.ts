// The method's parameters with the paper's defaults (App. A.3, §5.3), bounds and a one-line explanation each,
// for validation and for the settings form. Names match the Project columns.
import { z } from "zod";

export type MethodSettingSpec = {
  label: string;
  /** One line shown next to the field. */
  explanation: string;
  defaultValue: number;
  min: number;
  max: number;
  step: number;
  integer: boolean;
};

export const METHOD_SETTING_SPECS = {
  poolSize: {
    label: "Metadata pool size",
    explanation:
      "Metadata entries (use case + skills) to generate from: the encoded seeds plus mix-and-match combinations. Paper: 200.",
    defaultValue: 200,
    min: 1,
    max: 5000,
    step: 1,
    integer: true,
  },
  maxSkills: {
    label: "Skills per instruction",
    explanation: "Most skills (2–3 words each) the encoder names for one seed instruction. Paper: 3.",
    defaultValue: 3,
    min: 1,
    max: 10,
    step: 1,
    integer: true,
  },
  rubricCount: {
    label: "Rubrics per metadata entry",
    explanation:
      "Domain-specific rubrics written once per metadata entry to judge how hard an instruction is. Paper: 4.",
    defaultValue: 4,
    min: 1,
    max: 10,
    step: 1,
    integer: true,
  },
  actionCount: {
    label: "Actions per metadata entry",
    explanation:
      "Ways to make an instruction harder, written per metadata entry; one is sampled per rewrite. Paper: 4.",
    defaultValue: 4,
    min: 1,
    max: 10,
    step: 1,
    integer: true,
  },
  maxIterations: {
    label: "Max iterations",
    explanation:
      "Most versions of one instruction, the basic one counting as iteration 1 (4 = up to 3 rewrites). Paper: 4.",
    defaultValue: 4,
    min: 1,
    max: 10,
    step: 1,
    integer: true,
  },
  gapThreshold: {
    label: "Gap threshold θ",
    explanation:
      "Kept when the two answers' scores differ by more than θ (1–10 scale, both orders averaged), with the better answer: the strong one when it leads by more than θ, the target's when it does. Within θ: rewritten, or dropped after the last iteration. Paper: 3.",
    defaultValue: 3,
    min: 0,
    max: 8.5,
    step: 0.5,
    integer: false,
  },
  temperature: {
    label: "Temperature",
    explanation: "Sampling temperature for encoding, instruction writing and Self-Rubrics. Paper: 0.7.",
    defaultValue: 0.7,
    min: 0,
    max: 2,
    step: 0.1,
    integer: false,
  },
  judgeTemperature: {
    label: "Judge temperature",
    explanation:
      "Sampling temperature of the filtering judge. 0 makes the θ cut deterministic, like the evaluation judge (paper: 0).",
    defaultValue: 0,
    min: 0,
    max: 2,
    step: 0.1,
    integer: false,
  },
  targetDatasetSize: {
    label: "Target dataset size",
    explanation:
      "Instruction–response pairs wanted; sets how many basic instructions each metadata entry gets. Paper: 2000.",
    defaultValue: 2000,
    min: 1,
    max: 100_000,
    step: 1,
    integer: true,
  },
  randomSeed: {
    label: "Random seed",
    explanation:
      "Seeds every random choice (mix-and-match, action sampling) so a run can be reproduced. Paper: 0.",
    defaultValue: 0,
    min: 0,
    max: 2_147_483_647,
    step: 1,
    integer: true,
  },
  nearDuplicateThreshold: {
    label: "Near-duplicate threshold",
    explanation:
      "An instruction whose ROUGE-L with an earlier one of the run (another chain) reaches this is dropped as a near-duplicate; 1 = only the same words in the same order. Self-Instruct: 0.7.",
    defaultValue: 0.7,
    min: 0.3,
    max: 1,
    step: 0.05,
    integer: false,
  },
  contaminationNgram: {
    label: "Decontamination n-gram",
    explanation:
      "An instruction sharing this many consecutive words (or near-duplicate text) with an evaluation item is dropped, naming the item; 0 = no check. Common: 13.",
    defaultValue: 13,
    min: 0,
    max: 50,
    step: 1,
    integer: true,
  },
  dropInconsistentVerdicts: {
    label: "Drop order-inconsistent verdicts",
    explanation:
      "When the judge's two orders disagree on which answer is better: 0 = treat as no clear gap (rewrite again), 1 = drop the instruction.",
    defaultValue: 0,
    min: 0,
    max: 1,
    step: 1,
    integer: true,
  },
  weightBySeeds: {
    label: "Keep the seed distribution",
    explanation:
      "1 = a use case gets the share of basic instructions its seeds have, and seeds beyond the pool size are sampled by weight; 0 = every entry the same (the paper).",
    defaultValue: 1,
    min: 0,
    max: 1,
    step: 1,
    integer: true,
  },
  selfRubrics: {
    label: "Self-Rubrics (ablation switch)",
    explanation:
      "1 = rewrite instructions with Self-Rubrics actions (the method); 0 = basic instructions only, as in the paper's ablation (Table 3).",
    defaultValue: 1,
    min: 0,
    max: 1,
    step: 1,
    integer: true,
  },
  contrastiveFiltering: {
    label: "Contrastive Filtering (ablation switch)",
    explanation:
      "1 = keep only instructions with a clear quality gap (the method); 0 = keep every judged pair with the strong answer, rewritten to the last iteration if Self-Rubrics is on.",
    defaultValue: 1,
    min: 0,
    max: 1,
    step: 1,
    integer: true,
  },
} as const satisfies Record<string, MethodSettingSpec>;

export type MethodSettingKey = keyof typeof METHOD_SETTING_SPECS;

function numberSetting(spec: MethodSettingSpec) {
  const base = spec.integer ? z.number().int() : z.number();
  return base.min(spec.min).max(spec.max).default(spec.defaultValue).describe(spec.explanation);
}

const specs = METHOD_SETTING_SPECS;
export const methodSettingsSchema = z.object({
  poolSize: numberSetting(specs.poolSize),
  maxSkills: numberSetting(specs.maxSkills),
  rubricCount: numberSetting(specs.rubricCount),
  actionCount: numberSetting(specs.actionCount),
  maxIterations: numberSetting(specs.maxIterations),
  gapThreshold: numberSetting(specs.gapThreshold),
  temperature: numberSetting(specs.temperature),
  judgeTemperature: numberSetting(specs.judgeTemperature),
  targetDatasetSize: numberSetting(specs.targetDatasetSize),
  randomSeed: numberSetting(specs.randomSeed),
  nearDuplicateThreshold: numberSetting(specs.nearDuplicateThreshold),
  contaminationNgram: numberSetting(specs.contaminationNgram),
  dropInconsistentVerdicts: numberSetting(specs.dropInconsistentVerdicts),
  weightBySeeds: numberSetting(specs.weightBySeeds),
  selfRubrics: numberSetting(specs.selfRubrics),
  contrastiveFiltering: numberSetting(specs.contrastiveFiltering),
});

export type MethodSettings = z.output<typeof methodSettingsSchema>;

export const DEFAULT_METHOD_SETTINGS: MethodSettings = methodSettingsSchema.parse({});

/** Form field order. */
export const METHOD_SETTING_KEYS = Object.keys(METHOD_SETTING_SPECS) as MethodSettingKey[];

// What "Test connection" sends: each structured schema the method uses with the parameters a run uses (the
// method's temperature for the writing steps, the endpoint's own for judging), and a plain-text answer. A server
// that passes these will not refuse the run's calls for their shape or parameters.
import { z } from "zod";
import { decodeOutputSchema } from "@/lib/codeclm/decode";
import { encodeOutputSchema } from "@/lib/codeclm/encode";
import { judgeScoresSchema } from "@/lib/codeclm/filter";
import { improveOutputSchema } from "@/lib/codeclm/improve";
import { rubricsOutputSchema } from "@/lib/codeclm/rubrics";

export const CONNECTION_PROBE_VERSION = "connection-probe-v1";

export interface ConnectionProbe {
  /** What a user reads: "Encode (metadata schema)". */
  capability: string;
  promptName: string;
  messages: { role: "system" | "user"; content: string }[];
  schema: z.ZodType<unknown> | null;
  /** The temperature a run sends for this call; undefined leaves the endpoint's own setting. */
  temperature: number | undefined;
}

const system = {
  role: "system" as const,
  content: "You are helping a dataset tool check that it can talk to you. Keep every answer short.",
};

function structured(
  capability: string,
  promptName: string,
  schema: z.ZodType<unknown>,
  task: string,
  temperature: number | undefined,
): ConnectionProbe {
  return {
    capability,
    promptName,
    messages: [system, { role: "user", content: `${task} Answer with a JSON object.` }],
    schema,
    temperature,
  };
}

const plainAnswer = (temperature: number | undefined): ConnectionProbe => ({
  capability: "Plain-text answer",
  promptName: "respond",
  messages: [system, { role: "user", content: "In one sentence, what does a neighbourhood bakery sell?" }],
  schema: null,
  temperature,
});

/** The calls a run makes as `role`, for a project whose method temperature is `methodTemperature`. */
export function connectionProbes(
  role: "strong" | "target" | "judge",
  settings: { methodTemperature: number; rubricCount: number; actionCount: number },
): ConnectionProbe[] {
  const judge = structured(
    "Judge scores (Contrastive Filtering)",
    "filter-judge",
    judgeScoresSchema,
    "Score two answers to 'Name a bread' from 1 to 10: assistant 1 said 'Sourdough', assistant 2 said 'Bread'.",
    undefined,
  );
  if (role === "target") return [plainAnswer(undefined)];
  if (role === "judge") return [judge];
  const t = settings.methodTemperature;
  return [
    structured(
      "Encode (metadata schema)",
      "encode",
      encodeOutputSchema,
      "Describe the use case and two skills needed for: 'Write a marketing plan for a bakery'.",
      t,
    ),
    structured(
      "Decode (instructions schema)",
      "decode",
      decodeOutputSchema,
      "Write two short instructions about marketing for a bakery.",
      t,
    ),
    structured(
      "Self-Rubrics (rubrics and actions schema)",
      "rubrics",
      rubricsOutputSchema({ rubricCount: settings.rubricCount, actionCount: settings.actionCount }),
      `Give ${settings.rubricCount} rubrics and ${settings.actionCount} actions to make bakery marketing instructions harder.`,
      t,
    ),
    structured(
      "Improve (rewritten instruction schema)",
      "improve",
      improveOutputSchema,
      "Make 'Write a slogan for a bakery' more specific.",
      t,
    ),
    judge,
    plainAnswer(undefined),
  ];
}

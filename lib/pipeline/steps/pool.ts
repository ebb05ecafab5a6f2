// Pool stage (paper §4.1, App. A.3): the encoded seeds' metadata, exact duplicates and near-synonyms merged (a
// sample by seed count when there are more than the pool holds), topped up by mix-and-match to the pool size, all
// with lib/codeclm/pool.ts; with the seed-distribution setting the basic instructions per entry follow the seeds.
// Mixed entries go through the strong-LLM plausibility check (the paper's manual sanity check); implausible ones
// are stored for the user to see but not used, and replaced for a few rounds.
import {
  basicInstructionsPerEntry,
  MAX_INSTRUCTIONS_PER_ENTRY,
  MIN_INSTRUCTIONS_PER_ENTRY,
} from "@/lib/codeclm/decode";
import {
  buildPlausibilityPrompt,
  chunk,
  DEFAULT_PLAUSIBILITY_BATCH_SIZE,
  matchVerdicts,
} from "@/lib/codeclm/plausibility";
import {
  allocateByWeight,
  dedupeEncoded,
  mixAndMatch,
  seedDistributionWeights,
  selectSeedEntries,
  type EncodedMetadata,
  type PoolEntry,
} from "@/lib/codeclm/pool";
import { deriveRng } from "@/lib/codeclm/random";
import { ensureTasks, listTasks } from "@/lib/db/run-tasks";
import { recordRunError } from "@/lib/db/runs";
import type { Queryable } from "@/lib/db/sql";
import type { TaskJob } from "@/lib/jobs/contracts";
import { taskJobs } from "@/lib/pipeline/enqueue";
import { callLlm, ensureRunActive, failureReason } from "@/lib/pipeline/llm-step";
import type { RunContext } from "@/lib/pipeline/run-cache";
import type { PipelineServices } from "@/lib/pipeline/services";
import { encodeTaskOutputSchema } from "@/lib/pipeline/steps/encode";
import { loadPendingTask, settleTask } from "@/lib/pipeline/steps/settle-task";

/** Mix-and-match rounds: the first fills the pool, later ones replace entries judged implausible. */
export const MAX_POOL_ROUNDS = 3;

type Verdict = { plausible: boolean | null; note: string | null };
type CheckedEntry = PoolEntry & { verdict: Verdict; llmCallId: number | null };

async function checkPlausibility(
  services: PipelineServices,
  run: RunContext,
  entries: readonly PoolEntry[],
  signal: AbortSignal,
  failures: Array<{ message: string; rawOutput: string | null }>,
): Promise<CheckedEntry[]> {
  const batches = chunk(entries, DEFAULT_PLAUSIBILITY_BATCH_SIZE);
  const checked = await Promise.all(
    batches.map(async (batch, batchIndex): Promise<CheckedEntry[]> => {
      const prompt = buildPlausibilityPrompt(batch, { taskDescription: run.config.taskDescription });
      const outcome = await callLlm(services, run, "strong", prompt, { signal });
      if (!outcome.ok) {
        // Unchecked entries stay usable (the check is lenient by design); the failure goes on record.
        failures.push({
          message: failureReason(`The plausibility check (batch ${batchIndex + 1})`, outcome.error),
          rawOutput: outcome.error.rawText ?? null,
        });
        return batch.map((entry) => ({
          ...entry,
          verdict: { plausible: null, note: null },
          llmCallId: null,
        }));
      }
      const verdicts = matchVerdicts(batch.length, outcome.result.value);
      return batch.map((entry, i) => ({
        ...entry,
        verdict: verdicts[i]
          ? { plausible: verdicts[i].plausible, note: verdicts[i].reason || null }
          : { plausible: null, note: null },
        llmCallId: outcome.result.callId,
      }));
    }),
  );
  return checked.flat();
}

/** Inserts the pool (existing keys are kept as they are); returns the usable entries in pool order. */
async function storePool(
  q: Queryable,
  run: RunContext,
  entries: readonly (PoolEntry & {
    checked: boolean;
    plausible: boolean | null;
    note: string | null;
    llmCallId: number | null;
  })[],
): Promise<Array<{ id: number; useCase: string }>> {
  if (entries.length === 0) return [];
  await q.query(
    `INSERT INTO "MetadataEntry" ("projectId", "useCase", skills, origin, key, "seedId", checked, plausible, "checkNote", "runId", "llmCallId")
     SELECT $1, t."useCase", ARRAY(SELECT json_array_elements_text(t.skills)), t.origin::"MetadataOrigin", t.key, t."seedId",
       t.checked, t.plausible, t.note, $2, t."llmCallId"
     FROM json_to_recordset($3::json) AS t("useCase" text, skills json, origin text, key text, "seedId" int,
       checked boolean, plausible boolean, note text, "llmCallId" int)
     ON CONFLICT ("projectId", key) DO NOTHING`,
    [run.projectId, run.id, JSON.stringify(entries)],
  );
  const stored = await q.query<{ id: number; key: string; useCase: string; plausible: boolean | null }>(
    `SELECT id, key, "useCase", plausible FROM "MetadataEntry" WHERE "projectId" = $1 AND key = ANY($2::text[])`,
    [run.projectId, entries.map((entry) => entry.key)],
  );
  const byKey = new Map(stored.rows.map((row) => [row.key, row]));
  return entries
    .map((entry) => byKey.get(entry.key))
    .filter((row): row is NonNullable<typeof row> => row !== undefined && row.plausible !== false)
    .map((row) => ({ id: row.id, useCase: row.useCase }));
}

export async function runPoolTask(
  services: PipelineServices,
  job: TaskJob,
  signal: AbortSignal,
): Promise<void> {
  const task = await loadPendingTask(services, job);
  if (!task) return;
  const run = await ensureRunActive(services, job.runId);
  const { poolSize, maxSkills, randomSeed, targetDatasetSize, weightBySeeds } = run.config.settings;
  const weighted = weightBySeeds === 1;

  const encodeTasks = await listTasks(services.pool, run.id, { kind: "encode", state: "done" });
  const callIds = new Map<number, number | null>();
  const encoded: EncodedMetadata[] = encodeTasks.map((encodeTask) => {
    const output = encodeTaskOutputSchema.parse(encodeTask.output);
    callIds.set(encodeTask.itemId!, output.llmCallId);
    return { useCase: output.useCase, skills: output.skills, seedId: encodeTask.itemId };
  });
  const { entries: seedEntries, duplicatesRemoved, invalidRemoved } = dedupeEncoded(encoded, { maxSkills });
  // More distinct seed entries than the pool holds: a sample (by seed count when weighted), not the first rows.
  const fromSeeds = selectSeedEntries(seedEntries, {
    poolSize,
    rng: deriveRng(randomSeed, "pool-seeds"),
    weighted,
  });
  // Each seed's use case once per seed: mixing draws and decode shares follow the seeds, not the distinct entries.
  const seedUseCases = seedEntries.flatMap((entry) =>
    Array.from({ length: weighted ? (entry.seedCount ?? 1) : 1 }, () => entry.useCase),
  );

  // Top up with mixed entries; replace implausible ones for a few rounds. Every draw comes from the run seed.
  const taken = new Set(seedEntries.map((entry) => entry.key));
  const accepted: CheckedEntry[] = [];
  const rejected: CheckedEntry[] = [];
  const failures: Array<{ message: string; rawOutput: string | null }> = [];
  let exhausted = false;
  for (let round = 0; round < MAX_POOL_ROUNDS && fromSeeds.length + accepted.length < poolSize; round++) {
    const mixed = mixAndMatch({
      useCases: seedUseCases,
      skills: seedEntries.flatMap((entry) => entry.skills),
      count: poolSize - fromSeeds.length - accepted.length,
      maxSkills,
      rng: deriveRng(randomSeed, "pool", round),
      takenKeys: taken,
    });
    for (const entry of mixed.entries) taken.add(entry.key);
    for (const entry of await checkPlausibility(services, run, mixed.entries, signal, failures)) {
      (entry.verdict.plausible === false ? rejected : accepted).push(entry);
    }
    if (mixed.exhausted) {
      exhausted = true;
      break;
    }
  }

  const rows = [
    ...fromSeeds.map((entry) => ({
      ...entry,
      checked: false,
      plausible: null,
      note: null,
      llmCallId: entry.seedId === null ? null : (callIds.get(entry.seedId) ?? null),
    })),
    ...[...accepted, ...rejected].map((entry) => ({
      ...entry,
      checked: entry.verdict.plausible !== null,
      plausible: entry.verdict.plausible,
      note: entry.verdict.note,
    })),
  ];
  await settleTask(
    services,
    task,
    {
      state: "done",
      output: {
        seedEntries: fromSeeds.length,
        mixedEntries: accepted.length,
        implausible: rejected.length,
        duplicatesRemoved,
        invalidRemoved,
        exhausted,
      },
    },
    async (client) => {
      for (const failure of failures) {
        await recordRunError(client, {
          runId: run.id,
          stage: "pool",
          itemKind: "plausibility_batch",
          itemId: null,
          ...failure,
        });
      }
      const usable = await storePool(client, run, rows);
      const perEntry = basicInstructionsPerEntry({ targetDatasetSize, poolSize: usable.length });
      // The paper gives every entry the same count; weighted, the same total follows the seeds' use cases.
      const counts = weighted
        ? allocateByWeight(perEntry * usable.length, seedDistributionWeights(usable, seedUseCases), {
            min: MIN_INSTRUCTIONS_PER_ENTRY,
            max: MAX_INSTRUCTIONS_PER_ENTRY,
          })
        : usable.map(() => perEntry);
      const created = await ensureTasks(
        client,
        run.id,
        usable.map(({ id: metadataId }, index) => ({
          kind: "rubrics" as const,
          key: `rubrics:${metadataId}`,
          itemId: metadataId,
          input: { decodeCount: counts[index] ?? perEntry },
        })),
      );
      return taskJobs(run, created);
    },
  );
}

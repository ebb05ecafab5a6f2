// The run-wide screen before a version is answered: a test-set copy is dropped (naming the set and item), then a
// near-duplicate of an instruction of another chain that already passed (naming the twin). Dropping here costs
// no answers or judgements. The near-duplicate index of a run is kept per process and topped up incrementally
// under the run's screen lock; the contamination index (the project's evaluation sets plus the bundled public
// sets) is built once per process and run.
import {
  contaminationReason,
  createContaminationIndex,
  type ContaminationIndex,
  type ContaminationMatch,
  type TestItem,
} from "@/lib/codeclm/decontaminate";
import {
  createNearDuplicateIndex,
  nearDuplicateReason,
  type NearDuplicateIndex,
  type NearDuplicateMatch,
} from "@/lib/codeclm/near-duplicates";
import { settleVersion } from "@/lib/db/instruction-versions";
import {
  listBasicsAwaitingScreen,
  listProjectEvalItemTexts,
  listScreenedSince,
  lockRunScreen,
  markScreenPassed,
  recordScreenFinding,
} from "@/lib/db/screening";
import type { Queryable } from "@/lib/db/sql";
import { listPublicSets, loadPublicSet } from "@/lib/evaluation/public-sets";
import type { RunContext } from "@/lib/pipeline/run-cache";
import type { PipelineLog } from "@/lib/pipeline/services";

export type ScreenVerdict =
  | { kind: "passed" }
  | { kind: "duplicate"; match: NearDuplicateMatch; reason: string }
  | { kind: "contaminated"; match: ContaminationMatch; reason: string };

interface RunScreenState {
  generation: number;
  lastOrder: number;
  nearDuplicates: NearDuplicateIndex;
  contamination: ContaminationIndex | null;
}

const MAX_CACHED_RUNS = 8;
const states = new Map<number, RunScreenState>();

/** The bundled public sets whose files are present, as test items (an absent file is skipped with a warning). */
export function bundledTestItems(log?: PipelineLog): TestItem[] {
  const items: TestItem[] = [];
  for (const set of listPublicSets()) {
    if (!set.available) {
      log?.(
        "warn",
        "a bundled evaluation set is missing; generated instructions are not checked against it",
        {
          set: set.name,
        },
      );
      continue;
    }
    const loaded = loadPublicSet(set.name);
    loaded.items.forEach((item, position) =>
      items.push({
        setName: set.name,
        itemId: item.sourceId ?? String(position + 1),
        text: item.input ? `${item.instruction}\n${item.input}` : item.instruction,
      }),
    );
  }
  return items;
}

async function stateFor(q: Queryable, run: RunContext, log: PipelineLog): Promise<RunScreenState> {
  const cached = states.get(run.id);
  if (cached && cached.generation === run.generation) return cached;
  const { settings } = run.config;
  let contamination: ContaminationIndex | null = null;
  if (settings.contaminationNgram > 0) {
    const projectItems = await listProjectEvalItemTexts(q, run.projectId);
    contamination = createContaminationIndex([...projectItems, ...bundledTestItems(log)], {
      ngram: settings.contaminationNgram,
      threshold: settings.nearDuplicateThreshold,
    });
  }
  const state: RunScreenState = {
    generation: run.generation,
    lastOrder: 0,
    nearDuplicates: createNearDuplicateIndex(settings.nearDuplicateThreshold),
    contamination,
  };
  if (states.size >= MAX_CACHED_RUNS) states.delete(states.keys().next().value!);
  states.set(run.id, state);
  return state;
}

/** Loads what other processes passed since this one last looked (the caller holds the run's screen lock). */
async function catchUp(client: Queryable, runId: number, state: RunScreenState): Promise<void> {
  for (const passed of await listScreenedSince(client, runId, state.lastOrder)) {
    state.nearDuplicates.add({ id: passed.id, text: passed.text, group: passed.rootId });
    state.lastOrder = passed.screenOrder;
  }
}

function judge(
  state: RunScreenState,
  run: RunContext,
  version: { id: number; rootId: number | null; text: string },
): ScreenVerdict {
  const contamination = state.contamination?.check(version.text) ?? null;
  if (contamination) {
    return { kind: "contaminated", match: contamination, reason: contaminationReason(contamination) };
  }
  const match = state.nearDuplicates.findTwin(version.text, version.rootId ?? version.id);
  if (match) {
    return {
      kind: "duplicate",
      match,
      reason: nearDuplicateReason(match, run.config.settings.nearDuplicateThreshold),
    };
  }
  return { kind: "passed" };
}

async function recordVerdict(client: Queryable, versionId: number, verdict: ScreenVerdict): Promise<void> {
  if (verdict.kind === "contaminated") {
    await recordScreenFinding(client, versionId, { kind: "contaminated", match: verdict.match });
  } else if (verdict.kind === "duplicate") {
    const { twinId, score } = verdict.match;
    await recordScreenFinding(client, versionId, { kind: "duplicate", twinId, score });
  }
}

/**
 * Screens one pending version inside the caller's transaction (which this locks for the run): a rewrite, or a
 * basic instruction whose job was queued before its round's screen. Only basic instructions join the
 * near-duplicate index: every basic instruction of the run exists before any rewrite of its round does, so a
 * rewrite's verdict never depends on which other rewrite happened to be written first. A finding is stored; the
 * caller settles the version as dropped with `reason`.
 */
export async function screenVersion(
  client: Queryable,
  run: RunContext,
  version: { id: number; rootId: number | null; text: string; iteration: number },
  log: PipelineLog,
): Promise<ScreenVerdict> {
  const state = await stateFor(client, run, log);
  await lockRunScreen(client, run.id);
  await catchUp(client, run.id, state);
  const verdict = judge(state, run, version);
  await recordVerdict(client, version.id, verdict);
  if (verdict.kind === "passed" && version.iteration === 1)
    await markScreenPassed(client, run.id, version.id);
  return verdict;
}

/**
 * The round barrier's screen: every basic instruction still waiting, in slot order (round, metadata entry key,
 * position), against all earlier passed ones and each other. Dropped ones are settled here; returns the passed
 * versions, whose jobs the caller queues in the same transaction.
 */
export async function screenWaitingBasics(
  client: Queryable,
  run: RunContext,
  log: PipelineLog,
): Promise<{ passed: Array<{ id: number; iteration: number }>; dropped: number }> {
  await lockRunScreen(client, run.id);
  const waiting = await listBasicsAwaitingScreen(client, run.id);
  if (waiting.length === 0) return { passed: [], dropped: 0 };
  const state = await stateFor(client, run, log);
  await catchUp(client, run.id, state);
  const passed: Array<{ id: number; iteration: number }> = [];
  let dropped = 0;
  for (const version of waiting) {
    const verdict = judge(state, run, { ...version, rootId: version.id });
    if (verdict.kind === "passed") {
      const order = await markScreenPassed(client, run.id, version.id);
      if (order !== null) {
        state.nearDuplicates.add({ id: version.id, text: version.text, group: version.id });
        state.lastOrder = order;
      }
      passed.push({ id: version.id, iteration: 1 });
      continue;
    }
    await recordVerdict(client, version.id, verdict);
    if (await settleVersion(client, version.id, { state: "dropped", dropReason: verdict.reason })) dropped++;
  }
  return { passed, dropped };
}

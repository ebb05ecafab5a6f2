// Near-duplicate removal across a whole run (Self-Instruct §2.3: a new instruction is added only if its ROUGE-L
// with every instruction already kept is below a threshold, 0.7 there). Exact per-entry deduplication is not
// enough: two metadata entries, two decode rounds or two rewrite chains often produce the same task in other
// words. A rewrite is compared with other chains only: it is meant to resemble its own ancestors.
import { prepareText, rougeLAtLeast, type PreparedText } from "./similarity";

export const DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.7;

export interface IndexedInstruction {
  /** What the caller identifies the instruction by (a version id, or a slot in a batch). */
  id: number;
  text: string;
  /** Instructions of one group (one rewrite chain) are never each other's duplicates. */
  group?: number | null;
}

export interface NearDuplicateMatch {
  /** The earlier instruction this one repeats. */
  twinId: number;
  twinText: string;
  /** ROUGE-L F1 with the twin, ≥ the threshold. */
  score: number;
}

interface Entry {
  id: number;
  text: string;
  group: number | null;
  prepared: PreparedText;
}

export interface NearDuplicateIndex {
  readonly threshold: number;
  readonly size: number;
  /** The most similar indexed instruction at or above the threshold (outside `group`), or null. */
  findTwin(text: string, group?: number | null): NearDuplicateMatch | null;
  add(instruction: IndexedInstruction): void;
}

/** threshold in (0, 1]: 1 only catches texts with the same words in the same order. */
export function createNearDuplicateIndex(
  threshold: number,
  instructions: Iterable<IndexedInstruction> = [],
): NearDuplicateIndex {
  if (!(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`near-duplicate threshold must be in (0, 1], got ${threshold}`);
  }
  const entries: Entry[] = [];
  const index: NearDuplicateIndex = {
    threshold,
    get size() {
      return entries.length;
    },
    findTwin(text, group = null) {
      const prepared = prepareText(text);
      if (prepared.tokens.length === 0) return null;
      let best: NearDuplicateMatch | null = null;
      for (const entry of entries) {
        if (group !== null && entry.group === group) continue;
        const score = rougeLAtLeast(prepared, entry.prepared, threshold);
        if (score !== null && (!best || score > best.score)) {
          best = { twinId: entry.id, twinText: entry.text, score };
        }
      }
      return best;
    },
    add({ id, text, group = null }) {
      entries.push({ id, text, group, prepared: prepareText(text) });
    },
  };
  for (const instruction of instructions) index.add(instruction);
  return index;
}

export type BatchVerdict =
  | { text: string; duplicate: false }
  | { text: string; duplicate: true; match: NearDuplicateMatch; twinInBatch: boolean };

/**
 * Sorts new texts, in order, into kept ones and near-duplicates of an indexed instruction or of an earlier text
 * of the same batch. Kept texts are added to the index under ids from `batchIds` (negative by default, so a
 * caller can tell a twin in the batch from a stored one).
 */
export function screenBatch(
  index: NearDuplicateIndex,
  texts: readonly string[],
  options: { group?: number | null; batchId?: (position: number) => number } = {},
): BatchVerdict[] {
  const batchId = options.batchId ?? ((position: number) => -(position + 1));
  const verdicts: BatchVerdict[] = [];
  const batchIds = new Set<number>();
  for (const [position, text] of texts.entries()) {
    const match = index.findTwin(text, options.group ?? null);
    if (match) {
      verdicts.push({ text, duplicate: true, match, twinInBatch: batchIds.has(match.twinId) });
      continue;
    }
    const id = batchId(position);
    batchIds.add(id);
    index.add({ id, text, group: options.group ?? null });
    verdicts.push({ text, duplicate: false });
  }
  return verdicts;
}

/** The reason shown in review for a dropped near-duplicate. */
export function nearDuplicateReason(match: NearDuplicateMatch, threshold: number): string {
  const twin = match.twinText.length > 120 ? `${match.twinText.slice(0, 117)}…` : match.twinText;
  return `Near-duplicate (ROUGE-L ${match.score.toFixed(2)} ≥ ${threshold}) of an earlier instruction: “${twin}”`;
}

// Decontamination: a generated instruction that repeats a test instruction would inflate every score measured
// on that set. Two tests, as in the GPT-3 / Llama contamination studies and Self-Instruct's filter: a shared word
// 13-gram (long enough that only copied text shares one), and near-duplicate similarity (ROUGE-L) for short
// test items that have no 13-gram at all or reworded copies.
import { z } from "zod";
import { DEFAULT_NEAR_DUPLICATE_THRESHOLD } from "./near-duplicates";
import { prepareText, rougeLAtLeast, wordNgrams, type PreparedText } from "./similarity";

export const DEFAULT_CONTAMINATION_NGRAM = 13;

export interface TestItem {
  /** The set's name as the user knows it (e.g. "vicuna-80" or a project set's name). */
  setName: string;
  /** The item's id within the set (its external id, or its position). */
  itemId: string;
  text: string;
}

export const contaminationMatchSchema = z.object({
  setName: z.string(),
  itemId: z.string(),
  itemText: z.string(),
  kind: z.enum(["ngram", "similar"]),
  /** The shared n-gram (kind "ngram") or null. */
  ngram: z.string().nullable(),
  /** ROUGE-L F1 with the test item. */
  score: z.number(),
});
export type ContaminationMatch = z.infer<typeof contaminationMatchSchema>;

export interface ContaminationIndex {
  readonly itemCount: number;
  /** The first test item the text is contaminated by (n-gram overlap first, then the most similar), or null. */
  check(text: string): ContaminationMatch | null;
}

interface PreparedItem extends TestItem {
  prepared: PreparedText;
}

export function createContaminationIndex(
  items: readonly TestItem[],
  options: { ngram?: number; threshold?: number } = {},
): ContaminationIndex {
  const n = options.ngram ?? DEFAULT_CONTAMINATION_NGRAM;
  const threshold = options.threshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`n-gram size must be an integer ≥ 1, got ${n}`);
  if (!(threshold > 0 && threshold <= 1)) {
    throw new RangeError(`similarity threshold must be in (0, 1], got ${threshold}`);
  }
  const prepared: PreparedItem[] = [];
  const byNgram = new Map<string, PreparedItem>();
  for (const item of items) {
    const entry = { ...item, prepared: prepareText(item.text) };
    if (entry.prepared.tokens.length === 0) continue;
    prepared.push(entry);
    for (const gram of wordNgrams(entry.prepared.tokens, n)) if (!byNgram.has(gram)) byNgram.set(gram, entry);
  }
  return {
    itemCount: prepared.length,
    check(text) {
      const candidate = prepareText(text);
      if (candidate.tokens.length === 0) return null;
      for (const gram of wordNgrams(candidate.tokens, n)) {
        const item = byNgram.get(gram);
        if (item) {
          return {
            setName: item.setName,
            itemId: item.itemId,
            itemText: item.text,
            kind: "ngram",
            ngram: gram,
            score: rougeLAtLeast(candidate, item.prepared, 0) ?? 0,
          };
        }
      }
      let best: ContaminationMatch | null = null;
      for (const item of prepared) {
        const score = rougeLAtLeast(candidate, item.prepared, threshold);
        if (score !== null && (!best || score > best.score)) {
          best = {
            setName: item.setName,
            itemId: item.itemId,
            itemText: item.text,
            kind: "similar",
            ngram: null,
            score,
          };
        }
      }
      return best;
    },
  };
}

/** The reason shown in review for a dropped contaminated instruction. */
export function contaminationReason(match: ContaminationMatch): string {
  const how =
    match.kind === "ngram"
      ? `shares the ${match.ngram?.split(" ").length ?? DEFAULT_CONTAMINATION_NGRAM}-word sequence “${match.ngram}”`
      : `is a near-duplicate (ROUGE-L ${match.score.toFixed(2)})`;
  return `Test-set contamination: ${how} with item ${match.itemId} of the evaluation set ${match.setName}`;
}

export interface ContaminationReportRow {
  setName: string;
  /** Dropped instructions matching this set. */
  dropped: number;
  ngramMatches: number;
  similarMatches: number;
  /** Distinct test items hit. */
  items: number;
}

/** Per set: how many generated instructions were dropped and how many of its test items they hit. */
export function summarizeContamination(matches: readonly ContaminationMatch[]): ContaminationReportRow[] {
  const rows = new Map<string, ContaminationReportRow & { itemIds: Set<string> }>();
  for (const match of matches) {
    let row = rows.get(match.setName);
    if (!row) {
      row = {
        setName: match.setName,
        dropped: 0,
        ngramMatches: 0,
        similarMatches: 0,
        items: 0,
        itemIds: new Set(),
      };
      rows.set(match.setName, row);
    }
    row.dropped++;
    if (match.kind === "ngram") row.ngramMatches++;
    else row.similarMatches++;
    row.itemIds.add(match.itemId);
  }
  return [...rows.values()]
    .map(({ itemIds, ...row }) => ({ ...row, items: itemIds.size }))
    .sort((a, b) => b.dropped - a.dropped || a.setName.localeCompare(b.setName));
}

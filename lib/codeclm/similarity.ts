// Text similarity used to keep a dataset diverse and clean: ROUGE-L between two instructions, the measure
// Self-Instruct filters near-duplicates with (threshold 0.7), computed with js-rouge on whole texts tokenised the
// way Google's rouge_score tokenises (lower case, runs of letters and digits), plus word n-grams for overlap tests.
import { l as rougeLScore } from "js-rouge";

/** Lower-cased runs of letters and digits: punctuation, case and spacing never make two texts differ. */
export function similarityTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

const wholeText = (text: string): string[] => [text];

/** ROUGE-L F1 (longest common subsequence of tokens) of two texts, in [0, 1]; 0 when either has no words. */
export function rougeL(a: string, b: string): number {
  return rougeLOfTokens(similarityTokens(a), similarityTokens(b));
}

/** ROUGE-L F1 of two token lists (already from similarityTokens). */
export function rougeLOfTokens(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  // Tokens are joined with spaces and split again by the tokenizer: they never contain spaces themselves.
  return rougeLScore(a.join(" "), b.join(" "), {
    tokenizer: (text) => text.split(" "),
    segmenter: wholeText,
  });
}

/**
 * An upper bound of ROUGE-L F1 that needs no LCS: the LCS is at most the multiset overlap of the tokens, so
 * two texts whose bag-of-words F1 is below a threshold cannot reach it in ROUGE-L either.
 */
export function unigramF1(
  a: ReadonlyMap<string, number>,
  aLength: number,
  b: ReadonlyMap<string, number>,
  bLength: number,
): number {
  if (aLength === 0 || bLength === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let overlap = 0;
  for (const [token, count] of small) overlap += Math.min(count, large.get(token) ?? 0);
  return (2 * overlap) / (aLength + bLength);
}

/** Token counts, the input of unigramF1. */
export function tokenCounts(tokens: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  return counts;
}

/** The distinct word n-grams of a token list, each as one space-joined string. */
export function wordNgrams(tokens: readonly string[], n: number): Set<string> {
  const grams = new Set<string>();
  for (let i = 0; i + n <= tokens.length; i++) grams.add(tokens.slice(i, i + n).join(" "));
  return grams;
}

/** A text prepared once for many comparisons. */
export interface PreparedText {
  tokens: string[];
  counts: Map<string, number>;
}

export function prepareText(text: string): PreparedText {
  const tokens = similarityTokens(text);
  return { tokens, counts: tokenCounts(tokens) };
}

/** ROUGE-L F1 of two prepared texts, or null when the cheap bound already shows it is below `atLeast`. */
export function rougeLAtLeast(a: PreparedText, b: PreparedText, atLeast: number): number | null {
  const lengths = a.tokens.length + b.tokens.length;
  // F1 ≤ 2·min/(la+lb): a much shorter text cannot be a near-duplicate of a long one.
  if ((2 * Math.min(a.tokens.length, b.tokens.length)) / lengths < atLeast) return null;
  if (unigramF1(a.counts, a.tokens.length, b.counts, b.tokens.length) < atLeast) return null;
  const score = rougeLOfTokens(a.tokens, b.tokens);
  return score >= atLeast ? score : null;
}

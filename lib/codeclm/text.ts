// Clean-up of free-text list items the LLM returns (instructions, rubrics, actions).

const listMarker = /^\s*(?:[-*•]+|\(?\d{1,3}[.):]|#{1,6})\s+/;

/** Trims and removes one leading list marker ("1. ", "- ", "(2) ") the model may add despite JSON output. */
export function stripListMarker(text: string): string {
  return text.trim().replace(listMarker, "").trim();
}

/** A short single-line item (rubric, action): list marker, an optional "Label:" prefix and extra spaces removed. */
export function cleanShortItem(text: string, labelPrefix?: RegExp): string {
  let item = stripListMarker(text.replace(/\s+/g, " "));
  if (labelPrefix) item = item.replace(labelPrefix, "").trim();
  return item;
}

/** Comparison form of an instruction: case, whitespace and trailing punctuation do not make it new. */
export function textKey(text: string): string {
  return stripListMarker(text)
    .toLowerCase()
    .replace(/\s+/g, " ")
    .replace(/[\s.!;:,]+$/, "")
    .trim();
}

/** Keeps the first occurrence of each item by `key`, dropping empty ones; order preserved. */
export function distinctBy<T>(items: readonly T[], key: (item: T) => string, taken?: Iterable<string>): T[] {
  const seen = new Set<string>(taken);
  const result: T[] = [];
  for (const item of items) {
    const k = key(item);
    if (!k || seen.has(k)) continue;
    seen.add(k);
    result.push(item);
  }
  return result;
}

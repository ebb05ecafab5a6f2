// Text repair on the way in and out: a lone UTF-16 surrogate (from a "\ud800" JSON escape, a cut emoji, a broken
// model answer) cannot be encoded as UTF-8, and one such string makes a whole JSONL file unreadable for DuckDB or
// `datasets`. Lone surrogates become U+FFFD; so does NUL, which PostgreSQL text and many readers refuse.

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const nul = /\u0000/g;

/** The string with every lone surrogate and NUL replaced by U+FFFD; the same string when nothing needs it. */
export function repairText(text: string): string {
  const repaired = text.replace(loneSurrogate, "\uFFFD");
  return repaired.includes("\u0000") ? repaired.replace(nul, "\uFFFD") : repaired;
}

/** repairText for a value that may not be a string. */
export function repairOptionalText(text: string | null | undefined): string | null | undefined {
  return typeof text === "string" ? repairText(text) : text;
}

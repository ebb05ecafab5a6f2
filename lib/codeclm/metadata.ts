// Instruction metadata (paper §4.1): one use case and a few transferable skills, plus the text clean-up
// shared by every step that compares or displays them.

export type Metadata = { useCase: string; skills: string[] };

const leadingBullet = /^\s*(?:[-*•]+|\(?\d+[.)]|#+)\s+/;
const surroundingQuotes = /^["'`“”‘’]+|["'`“”‘’]+$/g;
const trailingPunctuation = /[\s.,;:!]+$/;

const letterOrDigit = /[\p{L}\p{N}]/u;

/**
 * Display form: list markers, surrounding quotes, trailing punctuation and repeated whitespace removed.
 * Empty when nothing with a letter or digit is left.
 */
export function cleanLabel(text: string): string {
  const label = text
    .replace(/\s+/g, " ")
    .trim()
    .replace(leadingBullet, "")
    .replace(surroundingQuotes, "")
    .replace(trailingPunctuation, "")
    .trim();
  return letterOrDigit.test(label) ? label : "";
}

/** Comparison form of a use case or skill: labels equal under this key are the same label. */
export function labelKey(text: string): string {
  return cleanLabel(text).toLowerCase();
}

export function formatSkills(skills: readonly string[]): string {
  return skills.join(", ");
}

/** Distinct labels (by labelKey), first spelling kept, empty ones dropped, order preserved. */
export function distinctLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const label of labels) {
    const cleaned = cleanLabel(label);
    const key = cleaned.toLowerCase();
    if (!key || seen.has(key)) continue;
    seen.add(key);
    result.push(cleaned);
  }
  return result;
}

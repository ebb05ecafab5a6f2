// Word diffs between consecutive versions of an instruction (and between the original and the reviewer's edit).
import { diffWords } from "diff";

export interface DiffPart {
  kind: "same" | "added" | "removed";
  text: string;
}

/** Long texts stop diffing after this long and show as one removal + one addition instead. */
const diffTimeoutMs = 150;

export function wordDiff(before: string, after: string): DiffPart[] {
  if (before === after) return after ? [{ kind: "same", text: after }] : [];
  const changes = diffWords(before, after, { timeout: diffTimeoutMs });
  if (!changes) {
    return [
      ...(before ? [{ kind: "removed" as const, text: before }] : []),
      ...(after ? [{ kind: "added" as const, text: after }] : []),
    ];
  }
  return changes
    .filter((change) => change.value !== "")
    .map((change) => ({
      kind: change.added ? "added" : change.removed ? "removed" : "same",
      text: change.value,
    }));
}

/** Words added and removed, for a one-line summary ("+12 −3 words"). */
export function countChangedWords(parts: readonly DiffPart[]): { added: number; removed: number } {
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  let added = 0;
  let removed = 0;
  for (const part of parts) {
    if (part.kind === "added") added += words(part.text);
    if (part.kind === "removed") removed += words(part.text);
  }
  return { added, removed };
}

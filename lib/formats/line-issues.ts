// Problems found while reading an imported file, each tied to the physical line a user can open in an editor.
// Only the first few are kept (a broken 100,000-line file must not produce 100,000 messages) but all are counted.

export interface LineIssue {
  /** 1-based physical line in the file, or null for a problem with the file as a whole. */
  line: number | null;
  /** Why, without the line: e.g. `missing field "instruction"`. */
  reason: string;
  /** The full sentence to show: `Line 3: missing field "instruction"`. */
  message: string;
}

export const maxReportedIssues = 20;

export function lineIssue(line: number | null, reason: string): LineIssue {
  return { line, reason, message: line === null ? capitalize(reason) : `Line ${line}: ${reason}` };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Collects issues in file order, keeping the first `maxReportedIssues` and counting the rest. */
export class IssueList {
  readonly issues: LineIssue[] = [];
  count = 0;

  add(line: number | null, reason: string): void {
    this.count++;
    if (this.issues.length < maxReportedIssues) this.issues.push(lineIssue(line, reason));
  }
}

/** Merges issue lists that are each in line order, keeping the first `maxReportedIssues` overall. */
export function mergeIssues(...lists: { issues: LineIssue[]; count: number }[]): {
  issues: LineIssue[];
  count: number;
} {
  const all = lists.flatMap((list) => list.issues);
  all.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { issues: all.slice(0, maxReportedIssues), count: lists.reduce((sum, list) => sum + list.count, 0) };
}

/** The messages to show, with "…and 37 more" when some were left out. */
export function formatIssueMessages(issues: LineIssue[], count: number): string[] {
  const messages = issues.map((issue) => issue.message);
  if (count > issues.length) messages.push(`…and ${count - issues.length} more`);
  return messages;
}

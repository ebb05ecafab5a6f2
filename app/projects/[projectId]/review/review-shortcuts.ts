// Keyboard shortcuts of the review screen. They never fire while the reviewer types in a field or holds a
// modifier (so browser and OS shortcuts keep working), nor while a dialog is open.
export type ReviewShortcut =
  "next" | "previous" | "accept" | "reject" | "edit" | "editAnswer" | "undo" | "note" | "search";

export const shortcutLegend: Array<{ keys: string; label: string }> = [
  { keys: "j / k", label: "next / previous" },
  { keys: "a", label: "accept" },
  { keys: "r", label: "reject" },
  { keys: "e", label: "edit instruction" },
  { keys: "E", label: "edit answer" },
  { keys: "n", label: "note" },
  { keys: "u", label: "undo" },
  { keys: "/", label: "search" },
  { keys: "Esc", label: "cancel edit" },
  { keys: "Ctrl+Enter", label: "save edit" },
];

const keys: Record<string, ReviewShortcut> = {
  j: "next",
  k: "previous",
  a: "accept",
  r: "reject",
  e: "edit",
  E: "editAnswer",
  u: "undo",
  n: "note",
  "/": "search",
};

interface KeyEventLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  target: EventTarget | null;
  defaultPrevented?: boolean;
}

/** True for elements where keys are text: inputs, text areas, selects, editable content. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof target !== "object" || !("tagName" in target)) return false;
  const element = target as { tagName: string; isContentEditable?: boolean };
  return (
    ["INPUT", "TEXTAREA", "SELECT"].includes(element.tagName.toUpperCase()) ||
    element.isContentEditable === true
  );
}

export function reviewShortcut(
  event: KeyEventLike,
  options: { dialogOpen?: boolean } = {},
): ReviewShortcut | null {
  if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || options.dialogOpen)
    return null;
  if (isTypingTarget(event.target)) return null;
  return keys[event.key] ?? null;
}

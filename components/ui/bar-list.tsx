"use client";

/** One row of a horizontal bar chart. `secondary` draws a thinner second bar under it (e.g. seeds vs kept). */
export interface BarListItem {
  key: string;
  label: string;
  value: number;
  secondary?: number;
  /** Not clickable (e.g. the folded "others" row). */
  static?: boolean;
}

/**
 * Horizontal bars in plain CSS: labels stay readable at any length, and rows can be buttons (click to filter).
 * Bars scale to the largest value shown.
 */
export function BarList({
  items,
  label,
  format = (value) => value.toLocaleString("en-US"),
  formatSecondary,
  selectedKey,
  onSelect,
  barClassName = "bg-indigo-200",
  secondaryClassName = "bg-amber-300",
}: {
  items: BarListItem[];
  /** Accessible name of the chart. */
  label: string;
  format?: (value: number) => string;
  formatSecondary?: (value: number) => string;
  selectedKey?: string | null;
  onSelect?: (item: BarListItem) => void;
  barClassName?: string;
  secondaryClassName?: string;
}) {
  const max = Math.max(1, ...items.map((item) => Math.max(item.value, item.secondary ?? 0)));
  return (
    <ul aria-label={label} className="space-y-1">
      {items.map((item) => {
        const selected = selectedKey === item.key;
        const content = (
          <>
            <span className="relative block h-5 w-full">
              <span
                className={`absolute inset-y-0 left-0 rounded-sm ${selected ? "bg-indigo-400" : barClassName}`}
                style={{ width: `${(item.value / max) * 100}%` }}
              />
              <span className="absolute inset-0 flex items-center justify-between gap-2 px-1.5 text-xs">
                <span className="truncate text-zinc-800" title={item.label}>
                  {item.label}
                </span>
                <span className="shrink-0 tabular-nums text-zinc-600">
                  {format(item.value)}
                  {item.secondary !== undefined && formatSecondary
                    ? ` · ${formatSecondary(item.secondary)}`
                    : null}
                </span>
              </span>
            </span>
            {item.secondary !== undefined ? (
              <span className="mt-0.5 block h-1 w-full">
                <span
                  className={`block h-1 rounded-sm ${secondaryClassName}`}
                  style={{ width: `${(item.secondary / max) * 100}%` }}
                />
              </span>
            ) : null}
          </>
        );
        return (
          <li key={item.key}>
            {onSelect && !item.static ? (
              <button
                type="button"
                aria-pressed={selected}
                onClick={() => onSelect(item)}
                className="block w-full rounded-sm text-left hover:bg-zinc-100"
              >
                {content}
              </button>
            ) : (
              <div className={item.static ? "opacity-70" : undefined}>{content}</div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

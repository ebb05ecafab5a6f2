"use client";

import { BarList, type BarListItem } from "@/components/ui/bar-list";
import type { Coverage, CoverageSide } from "@/lib/db/dashboard";

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : "–";
}

/**
 * Shares, so seeds (a few dozen) and kept data (thousands) compare on one scale. The whole is the side's total of
 * mentions: one per entry for use cases, up to three per entry for skills, so the shares of a side add up to
 * 100% and the "others" row never passes it (a per-entry share summed over many skills did: "135%").
 */
function items(side: CoverageSide): BarListItem[] {
  const all = [...side.rows, ...(side.others ? [side.others] : [])];
  const seedMentions = all.reduce((sum, row) => sum + row.seedEntries, 0);
  const keptMentions = all.reduce((sum, row) => sum + row.kept, 0);
  const share = (part: number, whole: number) => (whole > 0 ? part / whole : 0);
  const rows: BarListItem[] = side.rows.map((row) => ({
    key: row.label.toLowerCase(),
    label: row.label,
    value: share(row.seedEntries, seedMentions),
    secondary: share(row.kept, keptMentions),
  }));
  if (side.others) {
    rows.push({
      key: "__others__",
      label: `${side.others.labels.toLocaleString("en-US")} other${side.others.labels === 1 ? "" : "s"}`,
      value: share(side.others.seedEntries, seedMentions),
      secondary: share(side.others.kept, keptMentions),
      static: true,
    });
  }
  return rows;
}

/** The seeds' use cases and skills (bar) against the kept data's (thin bar): how well the data matches the task. */
export function CoverageCards({ coverage }: { coverage: Coverage }) {
  if (coverage.seedEntries === 0 && coverage.kept === 0) {
    return (
      <p className="text-sm text-zinc-500">No seed metadata and no kept data yet: nothing to compare.</p>
    );
  }
  const sides = [
    { id: "coverage-use-cases", title: "Use cases", side: coverage.useCases },
    { id: "coverage-skills", title: "Skills", side: coverage.skills },
  ];
  return (
    <div className="space-y-3">
      <p className="text-xs text-zinc-500">
        <span className="mr-1 inline-block h-2 w-3 rounded-sm bg-indigo-200 align-middle" /> share of the{" "}
        {coverage.seedEntries.toLocaleString("en-US")} seed metadata entries ·{" "}
        <span className="mr-1 inline-block h-1 w-3 rounded-sm bg-amber-300 align-middle" /> share of the{" "}
        {coverage.kept.toLocaleString("en-US")} kept instructions (skills: share of all skill mentions, up to
        three per entry)
        {coverage.seedEntries === 0
          ? " · no seed entries in this project (hand-written pool): only the kept data is shown"
          : ""}
      </p>
      <div className="grid gap-4 lg:grid-cols-2">
        {sides.map(({ id, title, side }) => (
          <section key={id} aria-labelledby={id} className="space-y-2">
            <h3 id={id} className="text-sm font-semibold">
              {title}{" "}
              <span className="font-normal text-zinc-500" data-testid={`${id}-summary`}>
                {side.seedLabels > 0
                  ? `${side.coveredLabels} of ${side.seedLabels} seed ${title.toLowerCase()} in the kept data (${percent(side.coveredLabels, side.seedLabels)})`
                  : "none in the seeds"}
                {side.newLabels > 0 ? ` · ${side.newLabels} new` : ""}
              </span>
            </h3>
            <BarList
              label={`${title}: share of seed entries and of kept instructions`}
              items={items(side)}
              format={(value) => `${Math.round(value * 100)}% seeds`}
              formatSecondary={(value) => `${Math.round(value * 100)}% kept`}
            />
          </section>
        ))}
      </div>
    </div>
  );
}

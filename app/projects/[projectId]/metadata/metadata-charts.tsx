"use client";

import { BarList, type BarListItem } from "@/components/ui/bar-list";
import type { LabelCounts, MetadataCharts } from "@/lib/db/metadata";

function toItems(counts: LabelCounts): BarListItem[] {
  const items: BarListItem[] = counts.top.map((entry) => ({
    key: entry.label.toLowerCase(),
    label: entry.label,
    value: entry.count,
  }));
  if (counts.others) {
    items.push({
      key: "__others__",
      label: `${counts.others.labels.toLocaleString("en-US")} others`,
      value: counts.others.count,
      static: true,
    });
  }
  return items;
}

/** Use cases and skills of the pool with their entry counts; a click filters the table. */
export function MetadataChartCards({
  charts,
  selectedUseCase,
  selectedSkill,
  onUseCase,
  onSkill,
}: {
  charts: MetadataCharts;
  selectedUseCase: string;
  selectedSkill: string;
  onUseCase: (label: string) => void;
  onSkill: (label: string) => void;
}) {
  const cards = [
    {
      id: "use-cases",
      title: "Use cases",
      counts: charts.useCases,
      selected: selectedUseCase.toLowerCase(),
      onSelect: onUseCase,
      bar: "bg-indigo-200",
    },
    {
      id: "skills",
      title: "Skills",
      counts: charts.skills,
      selected: selectedSkill.toLowerCase(),
      onSelect: onSkill,
      bar: "bg-teal-200",
    },
  ];
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {cards.map((card) => (
        <section
          key={card.id}
          aria-labelledby={`${card.id}-chart`}
          className="space-y-2 rounded-lg border border-zinc-200 bg-white p-4"
        >
          <h3 id={`${card.id}-chart`} className="text-sm font-semibold">
            {card.title}{" "}
            <span className="font-normal text-zinc-500">
              {card.counts.distinctLabels.toLocaleString("en-US")} distinct
              {card.counts.others ? `, top ${card.counts.top.length} shown` : ""} · entries per label · click
              to filter
            </span>
          </h3>
          {card.counts.top.length === 0 ? (
            <p className="text-sm text-zinc-500">Nothing to count yet.</p>
          ) : (
            <BarList
              label={`${card.title} by number of entries`}
              items={toItems(card.counts)}
              selectedKey={card.selected || null}
              barClassName={card.bar}
              onSelect={(item) => card.onSelect(card.selected === item.key ? "" : item.label)}
            />
          )}
        </section>
      ))}
    </div>
  );
}

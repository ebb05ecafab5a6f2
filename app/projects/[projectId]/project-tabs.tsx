"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

// Every section of a project, in the order of the method: seeds → models/settings → metadata → run → review.
const tabs = [
  { segment: "", label: "Seeds" },
  { segment: "models", label: "Models" },
  { segment: "settings", label: "Method" },
  { segment: "metadata", label: "Metadata" },
  { segment: "run", label: "Run" },
  { segment: "review", label: "Review" },
  { segment: "dashboard", label: "Dashboard" },
  { segment: "export", label: "Export" },
  { segment: "evaluate", label: "Evaluate" },
] as const;

export function ProjectTabs({ projectId }: { projectId: number }) {
  const pathname = usePathname();
  const base = `/projects/${projectId}`;
  return (
    <nav aria-label="Project sections" className="flex gap-1 border-b border-zinc-200">
      {tabs.map((tab) => {
        const href = tab.segment ? `${base}/${tab.segment}` : base;
        const active = tab.segment ? pathname.startsWith(href) : pathname === base;
        return (
          <Link
            key={tab.label}
            href={href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm ${active ? "border-indigo-600 font-medium text-indigo-700" : "border-transparent text-zinc-600 hover:text-zinc-900"}`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}

import type { ReviewDecisionName, VersionStateName } from "@/lib/db/review";

const stateStyles: Record<VersionStateName, string> = {
  kept: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  dropped: "bg-zinc-100 text-zinc-600 ring-zinc-200",
  pending: "bg-amber-50 text-amber-800 ring-amber-200",
  failed: "bg-red-50 text-red-700 ring-red-200",
  improved: "bg-indigo-50 text-indigo-700 ring-indigo-200",
  surplus: "bg-sky-50 text-sky-800 ring-sky-200",
};

export function StateBadge({ state }: { state: VersionStateName }) {
  return (
    <span
      className={`inline-flex rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset ${stateStyles[state]}`}
    >
      {state}
    </span>
  );
}

export function DecisionBadge({ decision }: { decision: ReviewDecisionName | null }) {
  if (decision === "accepted") {
    return (
      <span
        className="inline-flex rounded bg-emerald-600 px-1.5 py-0.5 text-[11px] font-medium text-white"
        title="Accepted by a reviewer"
      >
        accepted
      </span>
    );
  }
  if (decision === "rejected") {
    return (
      <span
        className="inline-flex rounded bg-red-600 px-1.5 py-0.5 text-[11px] font-medium text-white"
        title="Rejected by a reviewer"
      >
        rejected
      </span>
    );
  }
  return (
    <span className="text-[11px] text-zinc-400" title="Not reviewed yet">
      —
    </span>
  );
}

/** Scores and gaps: at most two decimals, "–" when missing. */
export function formatScore(value: number | null | undefined): string {
  if (value === null || value === undefined) return "–";
  return Number.isInteger(value) ? String(value) : value.toFixed(2).replace(/0$/, "");
}

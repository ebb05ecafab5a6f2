import type { CostSummary } from "@/lib/db/dashboard";

export function formatUsd(value: number): string {
  // Small local runs cost fractions of a cent: show enough digits to see them.
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: value < 1 ? 4 : 2 })}`;
}

const int = (value: number) => value.toLocaleString("en-US");

/** LLM calls by prompt and role: where the tokens and the money went. */
export function CostTable({ cost }: { cost: CostSummary }) {
  if (cost.byPrompt.length === 0) return <p className="text-sm text-zinc-500">No LLM calls recorded yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <thead className="text-left text-xs text-zinc-500">
          <tr>
            <th className="py-1.5 pr-3 font-medium">Prompt</th>
            <th className="py-1.5 pr-3 font-medium">Model role</th>
            <th className="py-1.5 pr-3 text-right font-medium">Calls</th>
            <th className="py-1.5 pr-3 text-right font-medium">Cache hits</th>
            <th className="py-1.5 pr-3 text-right font-medium">Errors</th>
            <th className="py-1.5 pr-3 text-right font-medium">Input tokens</th>
            <th className="py-1.5 pr-3 text-right font-medium">Output tokens</th>
            <th className="py-1.5 text-right font-medium">Cost</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 tabular-nums">
          {cost.byPrompt.map((row) => (
            <tr key={`${row.promptName}:${row.role}`}>
              <td className="py-1.5 pr-3">{row.promptName}</td>
              <td className="py-1.5 pr-3 text-zinc-600">{row.role}</td>
              <td className="py-1.5 pr-3 text-right">{int(row.calls)}</td>
              <td className="py-1.5 pr-3 text-right">{int(row.cacheHits)}</td>
              <td className={`py-1.5 pr-3 text-right ${row.errors > 0 ? "text-red-700" : ""}`}>
                {int(row.errors)}
              </td>
              <td className="py-1.5 pr-3 text-right">{int(row.promptTokens)}</td>
              <td className="py-1.5 pr-3 text-right">{int(row.completionTokens)}</td>
              <td className="py-1.5 text-right">{formatUsd(row.costUsd)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot className="border-t border-zinc-200 font-medium tabular-nums">
          <tr>
            <td className="py-1.5 pr-3" colSpan={2}>
              Total
            </td>
            <td className="py-1.5 pr-3 text-right">{int(cost.calls)}</td>
            <td className="py-1.5 pr-3 text-right">{int(cost.cacheHits)}</td>
            <td className="py-1.5 pr-3 text-right">{int(cost.errors)}</td>
            <td className="py-1.5 pr-3 text-right">{int(cost.promptTokens)}</td>
            <td className="py-1.5 pr-3 text-right">{int(cost.completionTokens)}</td>
            <td className="py-1.5 text-right">{formatUsd(cost.costUsd)}</td>
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

import Link from "next/link";
import { notFound } from "next/navigation";
import { getPool } from "@/lib/db/client";
import { getRunQualityReport, type RunQualityReport } from "@/lib/db/run-quality";
import { AppError } from "@/lib/errors";

export const dynamic = "force-dynamic";

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export default async function RunQualityPage({
  params,
}: {
  params: Promise<{ projectId: string; runId: string }>;
}) {
  const { projectId, runId } = await params;
  if (!/^\d+$/.test(projectId) || !/^\d+$/.test(runId)) notFound();
  let report: RunQualityReport;
  try {
    report = await getRunQualityReport(getPool(), { projectId: Number(projectId), runId: Number(runId) });
  } catch (error) {
    if (error instanceof AppError && error.code === "not_found") notFound();
    throw error;
  }
  const { screen, judge } = report;
  return (
    <div className="space-y-6">
      <div className="flex items-baseline gap-3">
        <h1 className="text-lg font-semibold">Run {report.runId}: data quality</h1>
        <Link className="text-sm underline" href={`/projects/${projectId}/run`}>
          Back to runs
        </Link>
      </div>

      <section aria-labelledby="screen-heading" className="space-y-2">
        <h2 id="screen-heading" className="font-semibold">
          Screen before answering
        </h2>
        <p className="text-sm text-zinc-700">
          {screen.nearDuplicates} near-duplicate{screen.nearDuplicates === 1 ? "" : "s"} dropped (ROUGE-L ≥{" "}
          {report.nearDuplicateThreshold} with an earlier instruction of another chain); {screen.contaminated}{" "}
          instruction{screen.contaminated === 1 ? "" : "s"} dropped as copies of evaluation items (
          {report.contaminationNgram > 0
            ? `a shared ${report.contaminationNgram}-word sequence or near-duplicate text`
            : "check off for this run"}
          ). Review lists each with its twin or test item.
        </p>
        {report.contaminationBySet.length > 0 ? (
          <table className="text-sm" aria-label="Contamination per evaluation set">
            <thead className="text-left text-xs text-zinc-500">
              <tr>
                <th className="pr-4 font-medium">Evaluation set</th>
                <th className="pr-4 text-right font-medium">Dropped</th>
                <th className="pr-4 text-right font-medium">Test items hit</th>
                <th className="pr-4 text-right font-medium">Shared n-gram</th>
                <th className="text-right font-medium">Near-duplicate</th>
              </tr>
            </thead>
            <tbody className="tabular-nums">
              {report.contaminationBySet.map((row) => (
                <tr key={row.setName}>
                  <td className="pr-4">{row.setName}</td>
                  <td className="pr-4 text-right">{row.dropped}</td>
                  <td className="pr-4 text-right">{row.items}</td>
                  <td className="pr-4 text-right">{row.ngramMatches}</td>
                  <td className="text-right">{row.similarMatches}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {report.contaminated.length > 0 ? (
          <details className="text-sm">
            <summary className="cursor-pointer text-zinc-600">
              Dropped instructions and the test items
            </summary>
            <ul className="mt-2 space-y-2">
              {report.contaminated.map((entry) => (
                <li key={entry.versionId} className="rounded border border-zinc-200 p-2">
                  <p>
                    #{entry.versionId}: {entry.text}
                  </p>
                  <p className="text-xs text-zinc-600">
                    {entry.match.setName}, item {entry.match.itemId}: {entry.match.itemText}
                  </p>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="judge-heading" className="space-y-2">
        <h2 id="judge-heading" className="font-semibold">
          The judge
        </h2>
        <p className="text-sm text-zinc-700">
          {judge.judged} verdicts. {judge.inconsistent} (
          {percent(judge.judged ? judge.inconsistent / judge.judged : 0)}) had the two orders disagree on
          which answer is better; this run{" "}
          {report.dropInconsistentVerdicts
            ? "dropped them"
            : "treated them as no clear gap (rewritten again)"}
          . Position bias: the same slot won in both orders in {percent(judge.positionBiasRate)} of verdicts
          (first slot {judge.firstSlotWins}, second slot {judge.secondSlotWins}).
        </p>
      </section>

      <section aria-labelledby="calibration-heading" className="space-y-2">
        <h2 id="calibration-heading" className="font-semibold">
          Calibration: the stored gaps under other thresholds
        </h2>
        <p className="text-sm text-zinc-700">
          Each chain replayed with its stored gaps: kept at its first version with |G| &gt; θ. “Unknown”
          chains were kept by this run at a gap that a higher θ would not accept; their next versions were
          never generated.
        </p>
        <table className="text-sm" aria-label="Kept chains per threshold">
          <thead className="text-left text-xs text-zinc-500">
            <tr>
              <th className="pr-4 font-medium">θ</th>
              <th className="pr-4 text-right font-medium">Kept (strong)</th>
              <th className="pr-4 text-right font-medium">Kept (target)</th>
              <th className="pr-4 text-right font-medium">Dropped</th>
              <th className="text-right font-medium">Unknown</th>
            </tr>
          </thead>
          <tbody className="tabular-nums">
            {report.calibration.map((row) => (
              <tr key={row.theta} className={row.theta === report.theta ? "font-semibold" : ""}>
                <td className="pr-4">
                  {row.theta}
                  {row.theta === report.theta ? " (this run)" : ""}
                </td>
                <td className="pr-4 text-right">{row.keptStrong}</td>
                <td className="pr-4 text-right">{row.keptTarget}</td>
                <td className="pr-4 text-right">{row.dropped}</td>
                <td className="text-right">{row.undetermined}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

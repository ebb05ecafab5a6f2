"use client";

import { Button } from "@/components/ui/button";
import type { LlmErrorKind } from "@/lib/llm/errors";
import type { CapabilityReport, ConnectionCheck } from "@/lib/llm/test-connection";

const statusMarks: Record<CapabilityReport["status"], { mark: string; label: string; className: string }> = {
  works: { mark: "✓", label: "works", className: "text-emerald-800" },
  adapted: { mark: "↻", label: "adapted", className: "text-amber-800" },
  failed: { mark: "✗", label: "failed", className: "text-red-800" },
};

/** One line per call a run makes: works, adapted (and how), or failed with the server's own message. */
function CapabilityList({ capabilities }: { capabilities: CapabilityReport[] }) {
  if (capabilities.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1" aria-label="What a run sends">
      {capabilities.map((report) => {
        const status = statusMarks[report.status];
        return (
          <li key={report.capability} data-testid="capability" data-status={report.status}>
            <span className={`font-medium ${status.className}`}>
              {status.mark} {report.capability}: {status.label}
            </span>
            {report.adaptations.map((line) => (
              <span key={line} className="block pl-5 text-zinc-700">
                {line}
              </span>
            ))}
            {report.message ? <span className="block pl-5 text-red-700">{report.message}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

const failureTitles: Record<LlmErrorKind, string> = {
  unreachable: "Server unreachable",
  auth: "API key missing or refused",
  model_not_found: "Unknown model",
  rate_limited: "Rate limited",
  server: "Server error",
  timeout: "Timed out",
  malformed: "Unexpected answer",
  bad_request: "Request rejected",
  cancelled: "Cancelled",
};

/** What a "Test connection" found: what failed and why, or the latency and structured-output support. */
export function ConnectionResult({
  check,
  mode,
  onUseJsonInText,
}: {
  check: ConnectionCheck;
  mode: string;
  onUseJsonInText: () => void;
}) {
  if (!check.ok) {
    return (
      <div
        role="alert"
        data-testid="connection-result"
        className="rounded-md border border-red-200 bg-red-50 p-3 text-sm"
      >
        <p className="font-medium text-red-800">✗ {failureTitles[check.kind]}</p>
        <p className="mt-1 text-red-700">{check.message}</p>
        <CapabilityList capabilities={check.capabilities} />
      </div>
    );
  }
  const needsTextMode = !check.structuredOutput && mode === "json_schema";
  return (
    <div
      role="status"
      data-testid="connection-result"
      className={`rounded-md border p-3 text-sm ${needsTextMode ? "border-amber-200 bg-amber-50" : "border-emerald-200 bg-emerald-50"}`}
    >
      <p className={`font-medium ${needsTextMode ? "text-amber-800" : "text-emerald-800"}`}>
        ✓ Connected in {check.latencyMs.toLocaleString("en-US")} ms
      </p>
      <p className="mt-1 text-zinc-700">
        {check.structuredOutput
          ? "Structured output (response_format json_schema) works."
          : "No structured-output support (response_format json_schema was rejected or ignored)."}
      </p>
      <CapabilityList capabilities={check.capabilities} />
      {needsTextMode ? (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <p className="text-amber-800">{check.advice ?? "Use the json_in_text mode with this server."}</p>
          <Button size="sm" onClick={onUseJsonInText}>
            Use json_in_text
          </Button>
        </div>
      ) : null}
    </div>
  );
}

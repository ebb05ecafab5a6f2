import { getDb, getPool } from "@/lib/db/client";
import { countExportRecords, getExportFacets, listExports } from "@/lib/db/exports";
import { ExportForm } from "./export-form";
import { initialExportFormValues, parseExportQuery } from "./export-form-values";
import { ExportList } from "./export-list";
import { toExportView } from "./export-view";

export const dynamic = "force-dynamic";

/** The export page; a review filter in the URL (the review list's parameters) prefills the form. */
export default async function ProjectExportPage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const projectId = Number((await params).projectId);
  // Only kept pairs are exported: a state in a review link is dropped; so are values that were not understood.
  const { filter, onlyAccepted } = parseExportQuery(await searchParams);
  delete filter.state;
  const [facets, exports, count] = await Promise.all([
    getExportFacets(getDb(), projectId),
    listExports(getDb(), { projectId }),
    countExportRecords(getPool(), { projectId, filter, options: { onlyAccepted } }),
  ]);
  return (
    <div className="grid gap-6 xl:grid-cols-[28rem_1fr]">
      <ExportForm
        projectId={projectId}
        facets={facets}
        initialValues={initialExportFormValues(filter, onlyAccepted)}
        initialCount={count}
      />
      <ExportList projectId={projectId} initialExports={exports.map(toExportView)} />
    </div>
  );
}

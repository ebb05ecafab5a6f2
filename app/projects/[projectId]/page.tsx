import { getDb } from "@/lib/db/client";
import { listSeeds } from "@/lib/db/seeds";
import { SeedImport } from "./seed-import";
import { SeedTable } from "./seed-table";

export const dynamic = "force-dynamic";

export default async function ProjectSeedsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const projectId = Number((await params).projectId);
  const firstPage = await listSeeds(getDb(), { projectId, page: 1, pageSize: 50 });
  return (
    <div className="grid gap-6 xl:grid-cols-[26rem_1fr]">
      <SeedImport projectId={projectId} />
      <SeedTable projectId={projectId} initialPage={JSON.parse(JSON.stringify(firstPage))} />
    </div>
  );
}

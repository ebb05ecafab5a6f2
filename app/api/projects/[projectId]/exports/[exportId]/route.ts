import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { exportFileName, getExportFile } from "@/lib/db/exports";
import { getProjectOrThrow } from "@/lib/db/projects";
import { exportContentType } from "@/lib/formats/export-writers";
import { badRequest, errorResponse } from "@/app/api/route-responses";

export const dynamic = "force-dynamic";

const paramsSchema = z.object({
  projectId: z.coerce.number().int().positive(),
  exportId: z.coerce.number().int().positive(),
});

/** Downloads a stored export: the file is streamed from disk, never read whole into memory. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ projectId: string; exportId: string }> },
) {
  const parsed = paramsSchema.safeParse(await params);
  if (!parsed.success) return badRequest("projectId and exportId must be positive integers");
  try {
    const project = await getProjectOrThrow(getDb(), parsed.data.projectId);
    const file = await getExportFile(getDb(), { projectId: project.id, exportId: parsed.data.exportId });
    const fileName = exportFileName(project.name, file);
    const body = Readable.toWeb(createReadStream(file.filePath)) as ReadableStream<Uint8Array>;
    return new Response(body, {
      headers: {
        "Content-Type": exportContentType(file.format),
        "Content-Length": String(file.sizeOnDisk),
        "Content-Disposition": `attachment; filename="${fileName}"`,
        // The content never changes for an id; the sha256 is its natural validator.
        ETag: `"${file.sha256}"`,
        "Cache-Control": "private, max-age=0, must-revalidate",
        "X-Content-Type-Options": "nosniff",
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}

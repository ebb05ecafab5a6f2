"use server";

import { getPool } from "@/lib/db/client";
import { createExport } from "@/lib/db/exports";
import { runAction, type ActionResult } from "@/lib/errors";
import { createExportSchema } from "@/lib/schemas/export";
import { parseInputOrThrow } from "@/lib/schemas/form-errors";
import { toExportView, type ExportView } from "./export-view";

/**
 * Writes the export file and records it. It runs inside the request: a few thousand pairs take well under a
 * second, and a million about twenty seconds at flat memory (see `npm run bench export`).
 */
export async function createExportAction(input: unknown): Promise<ActionResult<ExportView>> {
  return runAction(async () => {
    const data = parseInputOrThrow(createExportSchema, input);
    return toExportView(await createExport(getPool(), data));
  });
}

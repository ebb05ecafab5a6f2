import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { getMetadataCharts } from "@/lib/db/metadata";
import { metadataOrigins } from "@/lib/schemas/metadata";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  projectId: z.coerce.number().int().positive(),
  origin: z.enum(metadataOrigins).optional(),
});

export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const parsed = querySchema.safeParse({
    projectId: (await params).projectId,
    origin: request.nextUrl.searchParams.get("origin") || undefined,
  });
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    return NextResponse.json({ error: message }, { status: 400 });
  }
  return NextResponse.json(await getMetadataCharts(getDb(), parsed.data));
}

import { NextResponse, type NextRequest } from "next/server";
import { getDb } from "@/lib/db/client";
import { listMetadata } from "@/lib/db/metadata";
import { metadataListQuerySchema } from "@/lib/schemas/metadata";

export const dynamic = "force-dynamic";

export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const search = request.nextUrl.searchParams;
  const parsed = metadataListQuerySchema.safeParse({
    projectId: (await params).projectId,
    page: search.get("page") ?? undefined,
    pageSize: search.get("pageSize") ?? undefined,
    origin: search.get("origin") || undefined,
    search: search.get("search") || undefined,
    useCase: search.get("useCase") || undefined,
    skill: search.get("skill") || undefined,
  });
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    return NextResponse.json({ error: message }, { status: 400 });
  }
  return NextResponse.json(await listMetadata(getDb(), parsed.data));
}

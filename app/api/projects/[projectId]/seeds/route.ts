import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { listSeeds, maxSeedPageSize } from "@/lib/db/seeds";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  projectId: z.coerce.number().int().positive(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(maxSeedPageSize).default(50),
  search: z.string().max(500).optional(),
});

export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const search = request.nextUrl.searchParams;
  const parsed = querySchema.safeParse({
    projectId: (await params).projectId,
    page: search.get("page") ?? undefined,
    pageSize: search.get("pageSize") ?? undefined,
    search: search.get("search") ?? undefined,
  });
  if (!parsed.success) {
    return NextResponse.json(
      { error: parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ") },
      { status: 400 },
    );
  }
  return NextResponse.json(await listSeeds(getDb(), parsed.data));
}

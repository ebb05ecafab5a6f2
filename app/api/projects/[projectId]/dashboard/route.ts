import { NextResponse, type NextRequest } from "next/server";
import { z } from "zod";
import { getDb } from "@/lib/db/client";
import { getDashboard } from "@/lib/db/dashboard";

export const dynamic = "force-dynamic";

const querySchema = z.object({
  projectId: z.coerce.number().int().positive(),
  runId: z.coerce.number().int().positive().optional(),
});

export async function GET(request: NextRequest, { params }: { params: Promise<{ projectId: string }> }) {
  const parsed = querySchema.safeParse({
    projectId: (await params).projectId,
    runId: request.nextUrl.searchParams.get("runId") || undefined,
  });
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      .join("; ");
    return NextResponse.json({ error: message }, { status: 400 });
  }
  return NextResponse.json(await getDashboard(getDb(), parsed.data));
}

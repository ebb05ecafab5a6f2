import { NextResponse } from "next/server";
import { getDb } from "@/lib/db/client";
import { listProjects } from "@/lib/db/projects";

export const dynamic = "force-dynamic";

export async function GET() {
  return NextResponse.json(await listProjects(getDb()));
}

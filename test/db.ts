// For integration tests: the run's throwaway database, and a fresh project per test (no truncating).
import { inject } from "vitest";
import { getDb, setDatabaseUrl } from "@/lib/db/client";
import type { PrismaClient } from "@/lib/generated/prisma/client";

export function useTestDatabase(): PrismaClient {
  setDatabaseUrl(inject("databaseUrl"));
  return getDb();
}

let projectCounter = 0;
export async function createTestProject(
  db: PrismaClient,
  name = "test project",
): Promise<{ id: number; name: string }> {
  projectCounter += 1;
  return db.project.create({ data: { name: `${name} ${projectCounter}` }, select: { id: true, name: true } });
}

// Integration tests get one throwaway migrated database per run (see test/throwaway-database.ts).
import type { TestProject } from "vitest/node";
import { createThrowawayDatabase } from "./throwaway-database";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await createThrowawayDatabase("test");
  project.provide("databaseUrl", database.url);
  return database.drop;
}

import { defineConfig } from "prisma/config";

// The Prisma CLI is only used for `prisma generate` here; migrations run through lib/db/migrate.ts
// (the schema engine compiled to WASM), because the native engine cannot be downloaded offline.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});

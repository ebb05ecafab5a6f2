// The Prisma client singleton (query compiler in WASM, no native engine) over @prisma/adapter-pg.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;
/** A client or an interactive transaction's client: data-access functions accept either. */
export type DbOrTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

interface DbGlobals {
  databaseUrl?: string;
  prisma?: PrismaClient;
  pool?: pg.Pool;
}
// Survives Next's dev hot reloads, so a reload does not open a new pool each time.
const globals = globalThis as typeof globalThis & { __codeclmDb?: DbGlobals };
const state: DbGlobals = (globals.__codeclmDb ??= {});

/** Processes that resolved the database themselves (CLI, worker, tests) set it here before the first query. */
export function setDatabaseUrl(url: string): void {
  if (state.databaseUrl && state.databaseUrl !== url && state.prisma) {
    throw new Error("The database URL cannot change once the client is open");
  }
  state.databaseUrl = url;
}

export function getDatabaseUrl(): string {
  const url = state.databaseUrl ?? env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "No database: start the app with `npm run dev` (embedded PostgreSQL) or set DATABASE_URL",
    );
  }
  return url;
}

/** The shared pg pool: raw SQL paths (COPY, keyset pages, pg-boss) use it next to Prisma. */
export function getPool(): pg.Pool {
  state.pool ??= new pg.Pool({ connectionString: getDatabaseUrl(), max: 20 });
  return state.pool;
}

export function getDb(): PrismaClient {
  state.prisma ??= new PrismaClient({ adapter: new PrismaPg(getPool()) });
  return state.prisma;
}

export async function closeDb(): Promise<void> {
  const { prisma, pool } = state;
  state.prisma = undefined;
  state.pool = undefined;
  await prisma?.$disconnect();
  await pool?.end();
}

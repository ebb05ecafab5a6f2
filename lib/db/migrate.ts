// Migrations without the network: Prisma's own schema engine compiled to WebAssembly, driven through
// @prisma/adapter-pg (no Prisma binaries to download). Rows in _prisma_migrations are written exactly as the
// native engine writes them, so `prisma migrate deploy` on a machine with internet accepts the database.
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine as SchemaEngineType } from "@prisma/schema-engine-wasm";
import pg from "pg";

export const MIGRATIONS_DIR = path.resolve("prisma/migrations");
export const SCHEMA_PATH = path.resolve("prisma/schema.prisma");

type WasmGlue = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
};

let engineModule: Promise<typeof import("@prisma/schema-engine-wasm")> | undefined;

/** The package is built for bundlers; instantiate its .wasm by hand, once per process. */
function loadSchemaEngine(): Promise<typeof import("@prisma/schema-engine-wasm")> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const packageDir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const glue = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as unknown as WasmGlue;
    const bytes = await readFile(path.join(packageDir, "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue as unknown as typeof import("@prisma/schema-engine-wasm");
  })();
  return engineModule;
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;
interface QueryResultLike {
  fields: { dataTypeID: number; name: string }[];
  rows: unknown[][];
}

/** Work around adapter-pg 7.10.0 bugs when it drives the schema engine (see prisma-offline.md §3). */
function patchAdapter(adapter: Adapter, pool: pg.Pool): Adapter {
  // performIO is private in the adapter's types: patch through a structural view of the instance.
  const patched = adapter as unknown as {
    executeScript: (script: string) => Promise<void>;
    performIO: (query: unknown) => Promise<QueryResultLike>;
    onError: (error: unknown) => never;
  };
  // 1. executeScript splits on ";": run the whole script as one simple-protocol query instead.
  patched.executeScript = async (script: string) => {
    try {
      await pool.query(script);
    } catch (error) {
      patched.onError(error);
    }
  };
  // 2. The internal "char" type (OID 18) cannot be deserialised: report it as text (OID 25).
  const performIO = patched.performIO.bind(patched);
  // 3. PostgreSQL 18 lists NOT NULL constraints in pg_constraint (contype 'n'), which the 7.10 engine's
  //    describer cannot parse; nullability is read from the columns anyway, so leave those rows out.
  patched.performIO = async (query: unknown) => {
    const result = await performIO(query);
    for (const field of result.fields) if (field.dataTypeID === 18) field.dataTypeID = 25;
    const constraintType = result.fields.findIndex((field) => field.name === "constraint_type");
    if (constraintType >= 0) result.rows = result.rows.filter((row) => row[constraintType] !== "n");
    return result;
  };
  return adapter;
}

interface EngineHandle {
  engine: SchemaEngineType;
  dispose: () => Promise<void>;
}

async function openEngine(databaseUrl: string, schemaText: string): Promise<EngineHandle> {
  const { SchemaEngine } = await loadSchemaEngine();
  // One connection: applyMigrations takes a session-level advisory lock and relies on the session ending.
  const mainPool = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  const shadowCleanups: (() => Promise<void>)[] = [];

  const factory = {
    provider: "postgres" as const,
    adapterName: "@prisma/adapter-pg",
    connect: async () => patchAdapter(await new PrismaPg(mainPool).connect(), mainPool),
    // 4. adapter-pg's connectToShadowDb points at the main database: make a real throwaway one.
    connectToShadowDb: async () => {
      const shadowName = `prisma_migrate_shadow_${randomUUID().replaceAll("-", "")}`;
      await mainPool.query(`CREATE DATABASE "${shadowName}"`);
      const shadowUrl = new URL(databaseUrl);
      shadowUrl.pathname = `/${shadowName}`;
      const shadowPool = new pg.Pool({ connectionString: shadowUrl.toString(), max: 1 });
      const adapter = patchAdapter(await new PrismaPg(shadowPool).connect(), shadowPool);
      const cleanup = async () => {
        await shadowPool.end().catch(() => undefined);
        await mainPool.query(`DROP DATABASE IF EXISTS "${shadowName}" WITH (FORCE)`).catch(() => undefined);
      };
      shadowCleanups.push(cleanup);
      (adapter as unknown as { dispose: () => Promise<void> }).dispose = cleanup;
      return adapter;
    },
  };
  const bound = bindMigrationAwareSqlAdapterFactory(factory as never) as unknown as {
    errorRegistry: { consumeError: (id: number) => { error: unknown } | undefined };
  };
  let engine: SchemaEngineType;
  try {
    engine = await SchemaEngine.new({ datamodels: [[SCHEMA_PATH, schemaText]] }, () => undefined, bound);
  } catch (error) {
    await mainPool.end();
    throw recoverAdapterError(error, bound);
  }
  return {
    engine: wrapEngineErrors(engine, bound),
    dispose: async () => {
      for (const cleanup of shadowCleanups) await cleanup();
      engine.free();
      await mainPool.end();
    },
  };
}

/** A JS error inside the adapter surfaces as "External error id#N": put the real one back. */
function recoverAdapterError(
  error: unknown,
  bound: { errorRegistry: { consumeError: (id: number) => { error: unknown } | undefined } },
): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const match = /External error id#(\d+)/.exec(message);
  if (match) {
    const original = bound.errorRegistry.consumeError(Number(match[1]));
    if (original) {
      const inner = original.error as { message?: string; kind?: string; originalMessage?: string };
      return new Error(
        `${message}: ${inner.originalMessage ?? inner.message ?? inner.kind ?? JSON.stringify(inner)}`,
      );
    }
  }
  return error instanceof Error ? error : new Error(message);
}

function wrapEngineErrors(
  engine: SchemaEngineType,
  bound: Parameters<typeof recoverAdapterError>[1],
): SchemaEngineType {
  return new Proxy(engine, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        return result instanceof Promise
          ? result.catch((error: unknown) => Promise.reject(recoverAdapterError(error, bound)))
          : result;
      };
    },
  });
}

export function readMigrationsList(migrationsDir = MIGRATIONS_DIR): MigrationList {
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const directories = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: {
      path: "migration_lock.toml",
      content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null,
    },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: existsSync(file)
            ? { tag: "ok" as const, value: readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

const noFilters = { externalTables: [], externalEnums: [] };

/** Applies every pending migration; safe to run from several processes at once (advisory lock). */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  const handle = await openEngine(databaseUrl, readFileSync(SCHEMA_PATH, "utf8"));
  try {
    const result = await handle.engine.applyMigrations({
      migrationsList: readMigrationsList(),
      filters: noFilters,
    });
    return result.appliedMigrationNames;
  } finally {
    await handle.dispose();
  }
}

/**
 * The SQL that would bring the migrations up to the schema, or null when they already match.
 * Used to create a migration, and by a test that fails when the schema changed without a migration.
 */
export async function diffMigrationsToSchema(databaseUrl: string): Promise<string | null> {
  const schemaText = readFileSync(SCHEMA_PATH, "utf8");
  const handle = await openEngine(databaseUrl, schemaText);
  try {
    const result = await handle.engine.diff({
      from: { tag: "migrations", ...readMigrationsList() },
      to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schemaText }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const script = (result as unknown as { stdout: string }).stdout.trim();
    return script === "" || /^-- This is an empty migration\.?$/m.test(script) ? null : script;
  } finally {
    await handle.dispose();
  }
}

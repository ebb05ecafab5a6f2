// `prisma generate` needs no engine, but the CLI looks for the native schema engine first and would try to
// download it. Point it at a stub that exits 1, so any accidental `prisma migrate …` fails loudly.
import { execFileSync } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const stubDir = mkdtempSync(path.join(tmpdir(), "prisma-engine-stub-"));
const stub = path.join(stubDir, "schema-engine");
writeFileSync(
  stub,
  "#!/bin/sh\necho 'schema-engine: not available offline; use npm run db:migrate' >&2\nexit 1\n",
);
chmodSync(stub, 0o755);

execFileSync(process.execPath, [path.resolve("node_modules/prisma/build/index.js"), "generate"], {
  stdio: "inherit",
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: stub,
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  },
});

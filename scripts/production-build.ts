// `npm start` builds the app only when its sources changed since the last production build: a sha256 over every
// file that goes into the build is stored next to the build output, so a fresh clone builds once, a restart
// starts in about a second, and a `git pull` that changes code rebuilds before serving.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Folders and files whose contents end up in the build (tests and the test/bench tooling do not). */
const sourceRoots = ["app", "components", "lib", "public", "prisma/schema.prisma"];
const sourceFiles = [
  "instrumentation.ts",
  "next.config.js",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];
const skipped = [/\.test\.tsx?$/, /(^|\/)lib\/generated(\/|$)/];

function listFiles(root: string, relative: string): string[] {
  const full = path.join(root, relative);
  if (!existsSync(full)) return [];
  return readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    const child = path.posix.join(relative, entry.name);
    if (skipped.some((pattern) => pattern.test(child))) return [];
    if (entry.isDirectory()) return listFiles(root, child);
    return entry.isFile() ? [child] : [];
  });
}

function isDirectory(root: string, relative: string): boolean {
  return existsSync(path.join(root, relative)) && statSync(path.join(root, relative)).isDirectory();
}

/** sha256 over the paths and contents of every build input, in a stable order. */
export function hashBuildSources(root: string): string {
  const files = [
    ...sourceRoots.flatMap((entry) => (isDirectory(root, entry) ? listFiles(root, entry) : [entry])),
    ...sourceFiles,
  ]
    .filter((file) => existsSync(path.join(root, file)))
    .sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const stampFile = (root: string) => path.join(root, ".next", "codeclm-source-hash");

/** True when `.next` holds a finished production build of exactly these sources. */
export function isBuildCurrent(root: string, sourceHash: string): boolean {
  if (!existsSync(path.join(root, ".next", "BUILD_ID"))) return false;
  try {
    return readFileSync(stampFile(root), "utf8").trim() === sourceHash;
  } catch {
    return false;
  }
}

/** Written after a successful build only, so an interrupted build is redone at the next start. */
export function recordBuild(root: string, sourceHash: string): void {
  writeFileSync(stampFile(root), `${sourceHash}\n`);
}

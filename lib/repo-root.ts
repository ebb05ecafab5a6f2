// Where the repository is, found from this file's own location rather than the working directory, so the app, the
// CLI, the tests and the bench find the repo's files (the public data sets in data/) wherever they are started
// from. import.meta.url, not import.meta.dirname: Turbopack keeps the first pointing at this source file in
// server bundles but leaves the second undefined.
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root folder (this file lives in <root>/lib). */
export const repoRoot: string = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** A path inside the repository, from segments relative to its root. */
export function repoPath(...segments: string[]): string {
  return path.join(repoRoot, ...segments);
}

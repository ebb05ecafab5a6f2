import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hashBuildSources, isBuildCurrent, recordBuild } from "../scripts/production-build";

let root: string;
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), "codeclm-build-hash-"));
  write("app/page.tsx", "export default function Page() { return null; }");
  write("lib/db/seeds.ts", "export const seeds = 1;");
  write("package-lock.json", "{}");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("production build freshness", () => {
  it("changes the hash when a source file changes, is added or the lock file changes", () => {
    const first = hashBuildSources(root);
    expect(hashBuildSources(root)).toBe(first);
    write("lib/db/seeds.ts", "export const seeds = 2;");
    const second = hashBuildSources(root);
    expect(second).not.toBe(first);
    write("components/ui/button.tsx", "export {};");
    const third = hashBuildSources(root);
    expect(third).not.toBe(second);
    write("package-lock.json", '{"lockfileVersion":3}');
    expect(hashBuildSources(root)).not.toBe(third);
  });

  it("ignores tests and the generated Prisma client", () => {
    const before = hashBuildSources(root);
    write("lib/db/seeds.test.ts", "it('x', () => {});");
    write("lib/generated/prisma/client.ts", "export {};");
    expect(hashBuildSources(root)).toBe(before);
  });

  it("counts a build as current only when it finished and was stamped with the same sources", () => {
    const hash = hashBuildSources(root);
    expect(isBuildCurrent(root, hash)).toBe(false); // no build at all
    write(".next/BUILD_ID", "abc");
    expect(isBuildCurrent(root, hash)).toBe(false); // a build of unknown sources (e.g. a plain `next build`)
    recordBuild(root, hash);
    expect(isBuildCurrent(root, hash)).toBe(true);
    write("app/page.tsx", "export default function Page() { return 1; }");
    expect(isBuildCurrent(root, hashBuildSources(root))).toBe(false);
  });
});

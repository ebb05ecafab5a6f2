// Adding evaluation sets to a project: a public set by name (loaded once per project, then reused) or a user's
// file through the seed importers. Both report how many of the set's instructions are also seeds of the project,
// so the page can warn that test instructions should stay out of the training data.
import type pg from "pg";
import {
  createEvalSet,
  findPublicEvalSet,
  getEvalSetOrThrow,
  listSeedOverlapExamples,
} from "@/lib/db/eval-sets";
import { readEvalSetFile, type EvalSetFields, type EvalSetFileSource } from "@/lib/evaluation/eval-set-file";
import { findPublicSet, loadPublicSet, publicDataDir } from "@/lib/evaluation/public-sets";
import { AppError } from "@/lib/errors";

export interface AddedEvalSet {
  setId: number;
  name: string;
  instructionCount: number;
  /** False when the project already had this public set. */
  created: boolean;
  /** Instructions that are also seeds of this project (a warning, not a refusal). */
  seedOverlap: number;
  overlapExamples: string[];
  licenseNotice: string | null;
}

async function describeAdded(
  pool: pg.Pool,
  projectId: number,
  setId: number,
  created: boolean,
): Promise<AddedEvalSet> {
  const set = await getEvalSetOrThrow(pool, projectId, setId);
  return {
    setId,
    name: set.name,
    instructionCount: set.instructionCount,
    created,
    seedOverlap: set.seedOverlap,
    overlapExamples: set.seedOverlap > 0 ? await listSeedOverlapExamples(pool, projectId, setId) : [],
    licenseNotice: set.licenseNotice,
  };
}

export async function addPublicSet(
  pool: pg.Pool,
  projectId: number,
  name: string,
  dataDir = publicDataDir(),
): Promise<AddedEvalSet> {
  const definition = findPublicSet(name);
  if (!definition) throw new AppError("not_found", `There is no public evaluation set "${name}"`);
  const existing = await findPublicEvalSet(pool, projectId, definition.name);
  if (existing !== null) return describeAdded(pool, projectId, existing, false);
  const loaded = loadPublicSet(definition.name, dataDir);
  const { id } = await createEvalSet(pool, {
    projectId,
    name: definition.title,
    source: "public",
    sourceName: definition.name,
    license: definition.license,
    licenseNotice: definition.notice,
    sha256: loaded.sha256,
    items: loaded.items,
  });
  return describeAdded(pool, projectId, id, true);
}

export async function importEvalSetFile(
  pool: pg.Pool,
  source: EvalSetFileSource & Partial<EvalSetFields> & { projectId: number; name?: string },
): Promise<AddedEvalSet> {
  const read = readEvalSetFile(source);
  const { id } = await createEvalSet(pool, {
    projectId: source.projectId,
    name: source.name?.trim() || source.fileName,
    source: "file",
    sourceName: source.fileName,
    license: null,
    licenseNotice: null,
    sha256: read.sha256,
    items: read.items,
  });
  return describeAdded(pool, source.projectId, id, true);
}

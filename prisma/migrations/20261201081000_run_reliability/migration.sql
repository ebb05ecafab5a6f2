-- AlterEnum
ALTER TYPE "InstructionState" ADD VALUE 'surplus';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "RunState" ADD VALUE 'stopping';
ALTER TYPE "RunState" ADD VALUE 'interrupted';

-- AlterTable
ALTER TABLE "InstructionVersion" ADD COLUMN     "reviewRevision" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "judgeTemperature" DOUBLE PRECISION NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "keptCount" INTEGER NOT NULL DEFAULT 0;

-- Runs made before the counter: their kept versions so far.
UPDATE "Run" r SET "keptCount" = k.count
FROM (SELECT "runId", count(*)::int AS count FROM "InstructionVersion" WHERE state = 'kept' GROUP BY "runId") k
WHERE k."runId" = r.id;

-- Bulk decisions never overwrite hand decisions: where each current decision came from.
ALTER TABLE "InstructionVersion" ADD COLUMN "decidedByHand" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "Review" ADD COLUMN "bulk" BOOLEAN NOT NULL DEFAULT false;
-- Decisions made before: those whose latest review was not part of a batch were made by hand.
UPDATE "InstructionVersion" v SET "decidedByHand" = true
WHERE v."reviewDecision" IS NOT NULL AND (
  SELECT r."batchId" IS NULL FROM "Review" r WHERE r."instructionVersionId" = v.id
  ORDER BY r."createdAt" DESC, r.id DESC LIMIT 1);

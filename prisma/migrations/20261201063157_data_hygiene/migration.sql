-- AlterTable
ALTER TABLE "InstructionVersion" ADD COLUMN     "contamination" JSONB,
ADD COLUMN     "duplicateOfId" INTEGER,
ADD COLUMN     "duplicateScore" DOUBLE PRECISION,
ADD COLUMN     "screenOrder" BIGINT;

-- AlterTable
ALTER TABLE "Judgement" ADD COLUMN     "orderInconsistent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "rawOrderA" TEXT,
ADD COLUMN     "rawOrderB" TEXT;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "contaminationNgram" INTEGER NOT NULL DEFAULT 13,
ADD COLUMN     "dropInconsistentVerdicts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "nearDuplicateThreshold" DOUBLE PRECISION NOT NULL DEFAULT 0.7;

-- CreateIndex
CREATE INDEX "InstructionVersion_runId_screenOrder_idx" ON "InstructionVersion"("runId", "screenOrder");

-- AlterTable
ALTER TABLE "EvalInstruction" ADD COLUMN     "sourceId" TEXT;

-- AlterTable
ALTER TABLE "EvalResult" ADD COLUMN     "error" TEXT,
ADD COLUMN     "explanationOrderA" TEXT,
ADD COLUMN     "explanationOrderB" TEXT,
ALTER COLUMN "targetAnswer" DROP NOT NULL,
ALTER COLUMN "referenceAnswer" DROP NOT NULL,
ALTER COLUMN "targetScoreOrderA" DROP NOT NULL,
ALTER COLUMN "referenceScoreOrderA" DROP NOT NULL,
ALTER COLUMN "targetScoreOrderB" DROP NOT NULL,
ALTER COLUMN "referenceScoreOrderB" DROP NOT NULL,
ALTER COLUMN "outcome" DROP NOT NULL;

-- AlterTable
ALTER TABLE "EvalSet" ADD COLUMN     "instructionCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "licenseNotice" TEXT,
ADD COLUMN     "sha256" TEXT,
ADD COLUMN     "sourceName" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "generation" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "startedAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "EvalSet_projectId_createdAt_idx" ON "EvalSet"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Evaluation_state_idx" ON "Evaluation"("state");

-- AddForeignKey
ALTER TABLE "LlmCall" ADD CONSTRAINT "LlmCall_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE SET NULL ON UPDATE CASCADE;

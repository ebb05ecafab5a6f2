-- CreateEnum
CREATE TYPE "RunTaskState" AS ENUM ('pending', 'done', 'failed');

-- AlterTable
ALTER TABLE "Run" ADD COLUMN     "generation" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "stopReason" TEXT;

-- CreateTable
CREATE TABLE "RunTask" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "itemId" INTEGER,
    "round" INTEGER NOT NULL DEFAULT 0,
    "state" "RunTaskState" NOT NULL DEFAULT 'pending',
    "input" JSONB,
    "output" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunTask_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RunTask_runId_kind_state_idx" ON "RunTask"("runId", "kind", "state");

-- CreateIndex
CREATE UNIQUE INDEX "RunTask_runId_key_key" ON "RunTask"("runId", "key");

-- AddForeignKey
ALTER TABLE "RunTask" ADD CONSTRAINT "RunTask_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "weightBySeeds" INTEGER NOT NULL DEFAULT 1;

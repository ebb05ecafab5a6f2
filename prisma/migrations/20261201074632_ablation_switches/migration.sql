-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "contrastiveFiltering" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "selfRubrics" INTEGER NOT NULL DEFAULT 1;

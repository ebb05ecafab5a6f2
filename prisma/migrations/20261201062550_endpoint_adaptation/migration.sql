-- CreateEnum
CREATE TYPE "TokenLimitParam" AS ENUM ('auto', 'max_tokens', 'max_completion_tokens');

-- CreateEnum
CREATE TYPE "ReasoningEffort" AS ENUM ('minimal', 'low', 'medium', 'high');

-- AlterTable
ALTER TABLE "Endpoint" ADD COLUMN     "reasoningEffort" "ReasoningEffort",
ADD COLUMN     "tokenLimitParam" "TokenLimitParam" NOT NULL DEFAULT 'auto';

-- CreateTable
CREATE TABLE "EndpointAdaptation" (
    "baseUrl" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "adaptations" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EndpointAdaptation_pkey" PRIMARY KEY ("baseUrl","model")
);

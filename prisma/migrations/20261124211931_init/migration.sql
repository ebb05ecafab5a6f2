-- CreateEnum
CREATE TYPE "EndpointRole" AS ENUM ('strong', 'target', 'judge');

-- CreateEnum
CREATE TYPE "StructuredOutputMode" AS ENUM ('json_schema', 'json_in_text');

-- CreateEnum
CREATE TYPE "MetadataOrigin" AS ENUM ('seed', 'mixed', 'handwritten');

-- CreateEnum
CREATE TYPE "InstructionState" AS ENUM ('pending', 'kept', 'improved', 'dropped', 'failed');

-- CreateEnum
CREATE TYPE "KeptAnswer" AS ENUM ('strong', 'target');

-- CreateEnum
CREATE TYPE "FilterDecision" AS ENUM ('keep_strong', 'keep_target', 'next_iteration', 'drop');

-- CreateEnum
CREATE TYPE "RunState" AS ENUM ('queued', 'running', 'cancelling', 'cancelled', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "ReviewDecision" AS ENUM ('accepted', 'rejected');

-- CreateEnum
CREATE TYPE "LlmCallStatus" AS ENUM ('ok', 'cache_hit', 'error');

-- CreateEnum
CREATE TYPE "EvaluationState" AS ENUM ('queued', 'running', 'cancelled', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "EvalOutcome" AS ENUM ('win', 'tie', 'loss');

-- CreateTable
CREATE TABLE "Project" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "taskDescription" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "poolSize" INTEGER NOT NULL DEFAULT 200,
    "maxSkills" INTEGER NOT NULL DEFAULT 3,
    "rubricCount" INTEGER NOT NULL DEFAULT 4,
    "actionCount" INTEGER NOT NULL DEFAULT 4,
    "maxIterations" INTEGER NOT NULL DEFAULT 4,
    "gapThreshold" DOUBLE PRECISION NOT NULL DEFAULT 3,
    "temperature" DOUBLE PRECISION NOT NULL DEFAULT 0.7,
    "targetDatasetSize" INTEGER NOT NULL DEFAULT 2000,
    "randomSeed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Endpoint" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "role" "EndpointRole" NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "apiKeyEnv" TEXT,
    "maxConcurrency" INTEGER NOT NULL DEFAULT 8,
    "requestsPerMinute" INTEGER,
    "tokensPerMinute" INTEGER,
    "temperature" DOUBLE PRECISION,
    "maxTokens" INTEGER NOT NULL DEFAULT 2048,
    "priceInputPerMTok" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "priceOutputPerMTok" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "structuredOutputMode" "StructuredOutputMode" NOT NULL DEFAULT 'json_schema',
    "timeoutMs" INTEGER NOT NULL DEFAULT 120000,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Endpoint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SeedImport" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "fileName" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "instructionField" TEXT,
    "inputField" TEXT,
    "rowCount" INTEGER NOT NULL,
    "importedCount" INTEGER NOT NULL,
    "duplicateCount" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SeedImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Seed" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "importId" INTEGER,
    "instruction" TEXT NOT NULL,
    "input" TEXT NOT NULL DEFAULT '',
    "contentHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Seed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MetadataEntry" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "useCase" TEXT NOT NULL,
    "skills" TEXT[],
    "origin" "MetadataOrigin" NOT NULL,
    "key" TEXT NOT NULL,
    "seedId" INTEGER,
    "checked" BOOLEAN NOT NULL DEFAULT false,
    "plausible" BOOLEAN,
    "checkNote" TEXT,
    "runId" INTEGER,
    "llmCallId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MetadataEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RubricSet" (
    "id" SERIAL NOT NULL,
    "metadataId" INTEGER NOT NULL,
    "rubrics" TEXT[],
    "actions" TEXT[],
    "promptVersion" TEXT NOT NULL,
    "llmCallId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RubricSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InstructionVersion" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "runId" INTEGER NOT NULL,
    "metadataId" INTEGER NOT NULL,
    "rootId" INTEGER,
    "parentId" INTEGER,
    "iteration" INTEGER NOT NULL,
    "slotKey" TEXT,
    "actionApplied" TEXT,
    "text" TEXT NOT NULL,
    "state" "InstructionState" NOT NULL DEFAULT 'pending',
    "keptAnswer" "KeptAnswer",
    "dropReason" TEXT,
    "promptVersion" TEXT NOT NULL,
    "strongScore" DOUBLE PRECISION,
    "targetScore" DOUBLE PRECISION,
    "gap" DOUBLE PRECISION,
    "reviewDecision" "ReviewDecision",
    "editedText" TEXT,
    "editedAnswer" TEXT,
    -- Full-text search for the review list; generated, so it can never drift from the text.
    "searchVector" tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce("editedText", "text"))) STORED,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstructionVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Response" (
    "id" SERIAL NOT NULL,
    "instructionVersionId" INTEGER NOT NULL,
    "role" "EndpointRole" NOT NULL,
    "model" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "llmCallId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Response_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Judgement" (
    "id" SERIAL NOT NULL,
    "instructionVersionId" INTEGER NOT NULL,
    "judgeModel" TEXT NOT NULL,
    "strongScoreOrderA" DOUBLE PRECISION NOT NULL,
    "targetScoreOrderA" DOUBLE PRECISION NOT NULL,
    "strongScoreOrderB" DOUBLE PRECISION NOT NULL,
    "targetScoreOrderB" DOUBLE PRECISION NOT NULL,
    "strongScore" DOUBLE PRECISION NOT NULL,
    "targetScore" DOUBLE PRECISION NOT NULL,
    "gap" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "decision" "FilterDecision" NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Judgement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Run" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "state" "RunState" NOT NULL DEFAULT 'queued',
    "configSnapshot" JSONB NOT NULL,
    "randomSeed" INTEGER NOT NULL,
    "stageCounts" JSONB NOT NULL DEFAULT '{}',
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RunError" (
    "id" SERIAL NOT NULL,
    "runId" INTEGER NOT NULL,
    "stage" TEXT NOT NULL,
    "itemKind" TEXT,
    "itemId" INTEGER,
    "message" TEXT NOT NULL,
    "rawOutput" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RunError_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LlmCall" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER,
    "runId" INTEGER,
    "evaluationId" INTEGER,
    "fingerprint" TEXT NOT NULL,
    "role" "EndpointRole" NOT NULL,
    "baseUrl" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "promptName" TEXT NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attempts" INTEGER NOT NULL DEFAULT 1,
    "status" "LlmCallStatus" NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmCall_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LlmCacheEntry" (
    "fingerprint" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "promptTokens" INTEGER NOT NULL DEFAULT 0,
    "completionTokens" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmCacheEntry_pkey" PRIMARY KEY ("fingerprint")
);

-- CreateTable
CREATE TABLE "Review" (
    "id" SERIAL NOT NULL,
    "instructionVersionId" INTEGER NOT NULL,
    "decision" "ReviewDecision",
    "editedText" TEXT,
    "editedAnswer" TEXT,
    "note" TEXT,
    "reviewer" TEXT NOT NULL DEFAULT 'local',
    "batchId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Export" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "format" TEXT NOT NULL,
    "filter" JSONB NOT NULL,
    "options" JSONB NOT NULL,
    "recordCount" INTEGER NOT NULL,
    "byteSize" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "filePath" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Export_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalSet" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "license" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvalSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalInstruction" (
    "id" SERIAL NOT NULL,
    "setId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "instruction" TEXT NOT NULL,
    "input" TEXT NOT NULL DEFAULT '',
    "category" TEXT,
    "contentHash" TEXT NOT NULL,

    CONSTRAINT "EvalInstruction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" SERIAL NOT NULL,
    "projectId" INTEGER NOT NULL,
    "setId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "state" "EvaluationState" NOT NULL DEFAULT 'queued',
    "configSnapshot" JSONB NOT NULL,
    "wins" INTEGER NOT NULL DEFAULT 0,
    "ties" INTEGER NOT NULL DEFAULT 0,
    "losses" INTEGER NOT NULL DEFAULT 0,
    "crr" DOUBLE PRECISION,
    "crrLow" DOUBLE PRECISION,
    "crrHigh" DOUBLE PRECISION,
    "errorCount" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvalResult" (
    "id" SERIAL NOT NULL,
    "evaluationId" INTEGER NOT NULL,
    "evalInstructionId" INTEGER NOT NULL,
    "targetAnswer" TEXT NOT NULL,
    "referenceAnswer" TEXT NOT NULL,
    "targetScoreOrderA" DOUBLE PRECISION NOT NULL,
    "referenceScoreOrderA" DOUBLE PRECISION NOT NULL,
    "targetScoreOrderB" DOUBLE PRECISION NOT NULL,
    "referenceScoreOrderB" DOUBLE PRECISION NOT NULL,
    "outcome" "EvalOutcome" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvalResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Endpoint_projectId_role_key" ON "Endpoint"("projectId", "role");

-- CreateIndex
CREATE INDEX "SeedImport_projectId_createdAt_idx" ON "SeedImport"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Seed_projectId_id_idx" ON "Seed"("projectId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "Seed_projectId_contentHash_key" ON "Seed"("projectId", "contentHash");

-- CreateIndex
CREATE INDEX "MetadataEntry_projectId_useCase_idx" ON "MetadataEntry"("projectId", "useCase");

-- CreateIndex
CREATE INDEX "MetadataEntry_skills_idx" ON "MetadataEntry" USING GIN ("skills");

-- CreateIndex
CREATE UNIQUE INDEX "MetadataEntry_projectId_key_key" ON "MetadataEntry"("projectId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "RubricSet_metadataId_key" ON "RubricSet"("metadataId");

-- CreateIndex
CREATE UNIQUE INDEX "InstructionVersion_parentId_key" ON "InstructionVersion"("parentId");

-- CreateIndex
CREATE INDEX "InstructionVersion_projectId_state_id_idx" ON "InstructionVersion"("projectId", "state", "id");

-- CreateIndex
CREATE INDEX "InstructionVersion_projectId_gap_idx" ON "InstructionVersion"("projectId", "gap");

-- CreateIndex
CREATE INDEX "InstructionVersion_projectId_metadataId_idx" ON "InstructionVersion"("projectId", "metadataId");

-- CreateIndex
CREATE INDEX "InstructionVersion_projectId_iteration_idx" ON "InstructionVersion"("projectId", "iteration");

-- CreateIndex
CREATE INDEX "InstructionVersion_projectId_reviewDecision_idx" ON "InstructionVersion"("projectId", "reviewDecision");

-- CreateIndex
CREATE INDEX "InstructionVersion_runId_state_idx" ON "InstructionVersion"("runId", "state");

-- CreateIndex
CREATE INDEX "InstructionVersion_searchVector_idx" ON "InstructionVersion" USING GIN ("searchVector");

-- CreateIndex
CREATE UNIQUE INDEX "InstructionVersion_runId_slotKey_key" ON "InstructionVersion"("runId", "slotKey");

-- CreateIndex
CREATE UNIQUE INDEX "Response_instructionVersionId_role_key" ON "Response"("instructionVersionId", "role");

-- CreateIndex
CREATE UNIQUE INDEX "Judgement_instructionVersionId_key" ON "Judgement"("instructionVersionId");

-- CreateIndex
CREATE INDEX "Run_projectId_createdAt_idx" ON "Run"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "RunError_runId_createdAt_idx" ON "RunError"("runId", "createdAt");

-- CreateIndex
CREATE INDEX "LlmCall_runId_status_idx" ON "LlmCall"("runId", "status");

-- CreateIndex
CREATE INDEX "LlmCall_evaluationId_status_idx" ON "LlmCall"("evaluationId", "status");

-- CreateIndex
CREATE INDEX "LlmCall_fingerprint_idx" ON "LlmCall"("fingerprint");

-- CreateIndex
CREATE INDEX "Review_instructionVersionId_createdAt_idx" ON "Review"("instructionVersionId", "createdAt");

-- CreateIndex
CREATE INDEX "Review_batchId_idx" ON "Review"("batchId");

-- CreateIndex
CREATE INDEX "Export_projectId_createdAt_idx" ON "Export"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "EvalInstruction_contentHash_idx" ON "EvalInstruction"("contentHash");

-- CreateIndex
CREATE UNIQUE INDEX "EvalInstruction_setId_position_key" ON "EvalInstruction"("setId", "position");

-- CreateIndex
CREATE INDEX "Evaluation_projectId_createdAt_idx" ON "Evaluation"("projectId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "EvalResult_evaluationId_evalInstructionId_key" ON "EvalResult"("evaluationId", "evalInstructionId");

-- AddForeignKey
ALTER TABLE "Endpoint" ADD CONSTRAINT "Endpoint_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SeedImport" ADD CONSTRAINT "SeedImport_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seed" ADD CONSTRAINT "Seed_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Seed" ADD CONSTRAINT "Seed_importId_fkey" FOREIGN KEY ("importId") REFERENCES "SeedImport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetadataEntry" ADD CONSTRAINT "MetadataEntry_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MetadataEntry" ADD CONSTRAINT "MetadataEntry_seedId_fkey" FOREIGN KEY ("seedId") REFERENCES "Seed"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RubricSet" ADD CONSTRAINT "RubricSet_metadataId_fkey" FOREIGN KEY ("metadataId") REFERENCES "MetadataEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionVersion" ADD CONSTRAINT "InstructionVersion_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionVersion" ADD CONSTRAINT "InstructionVersion_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionVersion" ADD CONSTRAINT "InstructionVersion_metadataId_fkey" FOREIGN KEY ("metadataId") REFERENCES "MetadataEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InstructionVersion" ADD CONSTRAINT "InstructionVersion_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "InstructionVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Response" ADD CONSTRAINT "Response_instructionVersionId_fkey" FOREIGN KEY ("instructionVersionId") REFERENCES "InstructionVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Judgement" ADD CONSTRAINT "Judgement_instructionVersionId_fkey" FOREIGN KEY ("instructionVersionId") REFERENCES "InstructionVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Run" ADD CONSTRAINT "Run_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RunError" ADD CONSTRAINT "RunError_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmCall" ADD CONSTRAINT "LlmCall_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LlmCall" ADD CONSTRAINT "LlmCall_runId_fkey" FOREIGN KEY ("runId") REFERENCES "Run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Review" ADD CONSTRAINT "Review_instructionVersionId_fkey" FOREIGN KEY ("instructionVersionId") REFERENCES "InstructionVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Export" ADD CONSTRAINT "Export_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalSet" ADD CONSTRAINT "EvalSet_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalInstruction" ADD CONSTRAINT "EvalInstruction_setId_fkey" FOREIGN KEY ("setId") REFERENCES "EvalSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_setId_fkey" FOREIGN KEY ("setId") REFERENCES "EvalSet"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalResult" ADD CONSTRAINT "EvalResult_evaluationId_fkey" FOREIGN KEY ("evaluationId") REFERENCES "Evaluation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "EvalResult" ADD CONSTRAINT "EvalResult_evalInstructionId_fkey" FOREIGN KEY ("evalInstructionId") REFERENCES "EvalInstruction"("id") ON DELETE CASCADE ON UPDATE CASCADE;

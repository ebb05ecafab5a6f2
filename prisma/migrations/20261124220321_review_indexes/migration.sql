-- CreateIndex
CREATE INDEX "InstructionVersion_review_gap_idx" ON "InstructionVersion"("projectId", "gap", "id", "state", "reviewDecision", "iteration", "metadataId", "runId");

-- CreateIndex
CREATE INDEX "InstructionVersion_review_iteration_idx" ON "InstructionVersion"("projectId", "iteration", "id", "state", "reviewDecision", "gap", "metadataId", "runId");

-- CreateIndex
CREATE INDEX "InstructionVersion_review_createdAt_idx" ON "InstructionVersion"("projectId", "createdAt", "id", "state", "reviewDecision", "iteration", "gap", "metadataId", "runId");

-- CreateIndex
CREATE INDEX "InstructionVersion_review_strongScore_idx" ON "InstructionVersion"("projectId", "strongScore", "id", "state", "reviewDecision", "iteration", "gap", "metadataId", "runId");

-- CreateIndex
CREATE INDEX "InstructionVersion_review_targetScore_idx" ON "InstructionVersion"("projectId", "targetScore", "id", "state", "reviewDecision", "iteration", "gap", "metadataId", "runId");

-- CreateIndex
CREATE INDEX "InstructionVersion_review_metadata_idx" ON "InstructionVersion"("projectId", "metadataId", "state", "reviewDecision", "iteration", "gap", "runId", "id");

-- CreateTable
CREATE TABLE "LlmEndpointLease" (
    "key" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "slots" INTEGER NOT NULL DEFAULT 0,
    "wanted" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "LlmEndpointLease_pkey" PRIMARY KEY ("key","holder")
);

-- CreateTable
CREATE TABLE "LlmEndpointBudget" (
    "key" TEXT NOT NULL,
    "requestLevel" DOUBLE PRECISION,
    "tokenLevel" DOUBLE PRECISION,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "cooldownUntil" TIMESTAMPTZ(3),

    CONSTRAINT "LlmEndpointBudget_pkey" PRIMARY KEY ("key")
);

-- CreateEnum
CREATE TYPE "CollectionReviewStatus" AS ENUM ('MATCHING', 'IN_REVIEW', 'RELEASED');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationKind" ADD VALUE 'COLLECTION_REVIEW_REQUESTED';
ALTER TYPE "NotificationKind" ADD VALUE 'COLLECTION_REVIEW_RELEASED';

-- CreateTable
CREATE TABLE "CollectionReview" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "officerId" INTEGER NOT NULL,
    "caseNumber" VARCHAR(100) NOT NULL,
    "agencyName" VARCHAR(200) NOT NULL,
    "statute" VARCHAR(200) NOT NULL,
    "status" "CollectionReviewStatus" NOT NULL DEFAULT 'MATCHING',
    "lineCount" INTEGER NOT NULL,
    "invalidCount" INTEGER NOT NULL DEFAULT 0,
    "processedCount" INTEGER NOT NULL DEFAULT 0,
    "matchCount" INTEGER NOT NULL DEFAULT 0,
    "identifiedCount" INTEGER NOT NULL DEFAULT 0,
    "hashList" TEXT,
    "matches" JSONB,
    "invalidLines" JSONB,
    "analystNotes" TEXT,
    "releasedAt" TIMESTAMP(3),
    "releasedById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CollectionReview_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CollectionReview_reportId_key" ON "CollectionReview"("reportId");

-- CreateIndex
CREATE INDEX "CollectionReview_officerId_createdAt_idx" ON "CollectionReview"("officerId", "createdAt");

-- AddForeignKey
ALTER TABLE "CollectionReview" ADD CONSTRAINT "CollectionReview_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CollectionReview" ADD CONSTRAINT "CollectionReview_officerId_fkey" FOREIGN KEY ("officerId") REFERENCES "OfficerRegistration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CollectionReview" ADD CONSTRAINT "CollectionReview_releasedById_fkey" FOREIGN KEY ("releasedById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;


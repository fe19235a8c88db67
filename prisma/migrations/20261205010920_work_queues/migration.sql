-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "firstActionAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Report_queue_status_receivedAt_idx" ON "Report"("queue", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "ReportEvent_kind_createdAt_idx" ON "ReportEvent"("kind", "createdAt");


-- Claim next: the unclaimed triaged reports of a queue, most urgent first (P1 before P2 ...,
-- then the earliest SLA due time), so claiming reads the head of this index and stops.
CREATE INDEX "manual_Report_claimable" ON "Report"("queue", "priority", "slaDueAt", "id") WHERE "status" = 'TRIAGED' AND "assigneeId" IS NULL;

-- The lease sweep: claimed reports by when their lease runs out.
CREATE INDEX "manual_Report_lease" ON "Report"("leaseExpiresAt") WHERE "status" = 'IN_REVIEW';

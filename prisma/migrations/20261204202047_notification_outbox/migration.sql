-- CreateEnum
CREATE TYPE "NotificationChannel" AS ENUM ('IMMEDIATE', 'DIGEST');

-- AlterEnum
ALTER TYPE "NotificationKind" ADD VALUE 'REPORT_ROUTED' BEFORE 'QUEUE_DIGEST';

-- AlterEnum
-- Hand-edited: keep the declared order (PENDING, SENDING, SENT, ...).
ALTER TYPE "NotificationStatus" ADD VALUE 'SENDING' BEFORE 'SENT';

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "channel" "NotificationChannel" NOT NULL DEFAULT 'IMMEDIATE',
ADD COLUMN     "digestId" INTEGER,
ADD COLUMN     "enqueuedAt" TIMESTAMP(3),
ADD COLUMN     "lockedUntil" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Notification_status_channel_enqueuedAt_idx" ON "Notification"("status", "channel", "enqueuedAt");

-- CreateIndex
CREATE INDEX "Notification_channel_status_queue_createdAt_idx" ON "Notification"("channel", "status", "queue", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_digestId_idx" ON "Notification"("digestId");

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_digestId_fkey" FOREIGN KEY ("digestId") REFERENCES "Notification"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "priorityOverridden" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "queueOverridden" BOOLEAN NOT NULL DEFAULT false;


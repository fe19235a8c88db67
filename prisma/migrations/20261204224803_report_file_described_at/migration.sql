-- AlterTable
ALTER TABLE "ReportFile" ADD COLUMN     "describedAt" TIMESTAMP(3);


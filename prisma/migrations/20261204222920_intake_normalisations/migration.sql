-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "intakeNormalisations" JSONB;


-- DropIndex
DROP INDEX "ReportFile_md5_idx";

-- DropIndex
DROP INDEX "PartyIdentifier_kind_value_idx";

-- CreateIndex
CREATE INDEX "ReportFile_md5_reportId_idx" ON "ReportFile"("md5", "reportId");

-- CreateIndex
CREATE INDEX "PartyIdentifier_kind_value_reportId_idx" ON "PartyIdentifier"("kind", "value", "reportId");


-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('ADMIN', 'SUPERVISOR', 'TRIAGE', 'CYBERTIP_ANALYST', 'CVIP_ANALYST');

-- CreateEnum
CREATE TYPE "Queue" AS ENUM ('CYBERTIPLINE', 'CVIP');

-- CreateEnum
CREATE TYPE "Priority" AS ENUM ('P1', 'P2', 'P3', 'INFO');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('OPEN', 'RECEIVED', 'TRIAGED', 'IN_REVIEW', 'REFERRED', 'CLOSED', 'RETRACTED');

-- CreateEnum
CREATE TYPE "ReportSource" AS ENUM ('ESP', 'PUBLIC', 'LAW_ENFORCEMENT');

-- CreateEnum
CREATE TYPE "IncidentType" AS ENUM ('CHILD_PORNOGRAPHY', 'CHILD_SEX_TRAFFICKING', 'CHILD_SEX_TOURISM', 'CHILD_SEXUAL_MOLESTATION', 'MISLEADING_DOMAIN_NAME', 'MISLEADING_WORDS_OR_DIGITAL_IMAGES', 'ONLINE_ENTICEMENT', 'UNSOLICITED_OBSCENE_MATERIAL_TO_CHILD');

-- CreateEnum
CREATE TYPE "ReportAnnotation" AS ENUM ('SEXTORTION', 'CSAM_SOLICITATION', 'MINOR_TO_MINOR_INTERACTION', 'SPAM', 'SADISTIC_ONLINE_EXPLOITATION', 'INFORMATIONAL');

-- CreateEnum
CREATE TYPE "ClosingReason" AS ENUM ('INFORMATIONAL', 'DUPLICATE', 'INSUFFICIENT_INFORMATION', 'OUTSIDE_JURISDICTION');

-- CreateEnum
CREATE TYPE "ReportEventKind" AS ENUM ('RECEIVED', 'TRIAGED', 'PRIORITY_CHANGED', 'REROUTED', 'ESCALATED', 'CLAIMED', 'ASSIGNED', 'RELEASED', 'LEASE_EXPIRED', 'STATUS_CHANGED', 'NOTE', 'REFERRED', 'CLOSED', 'MERGED', 'UNMERGED', 'SLA_WARNING', 'SLA_BREACHED');

-- CreateEnum
CREATE TYPE "PartyRole" AS ENUM ('REPORTED_USER', 'VICTIM', 'INTENDED_RECIPIENT');

-- CreateEnum
CREATE TYPE "PartyIdentifierKind" AS ENUM ('EMAIL', 'SCREEN_NAME', 'ESP_IDENTIFIER', 'PHONE', 'IP_ADDRESS', 'PROFILE_URL');

-- CreateEnum
CREATE TYPE "HashType" AS ENUM ('MD5', 'SHA1', 'SHA256', 'PDQ');

-- CreateEnum
CREATE TYPE "HashCategory" AS ENUM ('NON_PERTINENT', 'CSAM', 'CHILD_EXPLOITIVE', 'CGI_ANIMATION', 'COMPARISON');

-- CreateEnum
CREATE TYPE "HashMatchStatus" AS ENUM ('UNCHECKED', 'UNKNOWN', 'KNOWN', 'IDENTIFIED_SERIES');

-- CreateEnum
CREATE TYPE "AgencyKind" AS ENUM ('ICAC_TASK_FORCE', 'FEDERAL', 'STATE', 'LOCAL', 'PROSECUTOR', 'TRIBAL', 'INTERNATIONAL');

-- CreateEnum
CREATE TYPE "OfficerKind" AS ENUM ('OFFICER', 'PROSECUTOR');

-- CreateEnum
CREATE TYPE "RegistrationStatus" AS ENUM ('EMAIL_UNCONFIRMED', 'PENDING_REVIEW', 'MORE_INFO_REQUESTED', 'VERIFIED', 'REJECTED', 'SUSPENDED', 'EXPIRED', 'DISABLED');

-- CreateEnum
CREATE TYPE "SupervisorConfirmation" AS ENUM ('NOT_REQUESTED', 'REQUESTED', 'CONFIRMED', 'DENIED');

-- CreateEnum
CREATE TYPE "HashSearchStatus" AS ENUM ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "NotificationKind" AS ENUM ('P1_REPORT', 'POSSIBLE_NEW_VICTIM', 'QUEUE_DIGEST', 'SLA_BREACH', 'REGISTRATION_DECISION', 'EMAIL_CONFIRMATION', 'SUPERVISOR_CONFIRMATION', 'HASH_SEARCH_READY');

-- CreateEnum
CREATE TYPE "NotificationStatus" AS ENUM ('PENDING', 'SENT', 'FAILED', 'DIGESTED');

-- CreateEnum
CREATE TYPE "ActorType" AS ENUM ('STAFF', 'OFFICER', 'ESP', 'SYSTEM');

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('SUCCESS', 'FAILURE', 'DENIED');

-- CreateTable
CREATE TABLE "StaffUser" (
    "id" SERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "mustChangePassword" BOOLEAN NOT NULL DEFAULT false,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "failedSignInCount" INTEGER NOT NULL DEFAULT 0,
    "lastFailedSignInAt" TIMESTAMP(3),
    "lockedAt" TIMESTAMP(3),
    "mfaSecret" TEXT,
    "mfaEnrolledAt" TIMESTAMP(3),
    "lastSignInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "StaffUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agency" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "AgencyKind" NOT NULL,
    "ori" VARCHAR(9),
    "state" VARCHAR(2),
    "country" VARCHAR(2) NOT NULL DEFAULT 'US',
    "emailDomains" TEXT[],
    "contactEmail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Agency_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OfficerRegistration" (
    "id" SERIAL NOT NULL,
    "firstName" TEXT NOT NULL,
    "lastName" TEXT NOT NULL,
    "kind" "OfficerKind" NOT NULL,
    "agencyId" INTEGER,
    "proposedAgencyName" TEXT,
    "badgeNumber" TEXT NOT NULL,
    "officialEmail" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "supervisorName" TEXT NOT NULL,
    "supervisorEmail" TEXT NOT NULL,
    "supervisorConfirmation" "SupervisorConfirmation" NOT NULL DEFAULT 'NOT_REQUESTED',
    "supervisorAnsweredAt" TIMESTAMP(3),
    "status" "RegistrationStatus" NOT NULL DEFAULT 'EMAIL_UNCONFIRMED',
    "passwordHash" TEXT NOT NULL,
    "emailConfirmedAt" TIMESTAMP(3),
    "evidenceChecks" JSONB,
    "evidenceRecordedById" INTEGER,
    "evidenceRecordedAt" TIMESTAMP(3),
    "verifiedById" INTEGER,
    "verifiedAt" TIMESTAMP(3),
    "verificationExpiresAt" TIMESTAMP(3),
    "decisionReason" TEXT,
    "mfaSecret" TEXT,
    "mfaEnrolledAt" TIMESTAMP(3),
    "failedSignInCount" INTEGER NOT NULL DEFAULT 0,
    "lockedAt" TIMESTAMP(3),
    "lastSignInAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OfficerRegistration_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EspAccount" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "secretDigest" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "contactEmail" TEXT,
    "lastUsedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EspAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" SERIAL NOT NULL,
    "source" "ReportSource" NOT NULL,
    "espAccountId" INTEGER,
    "externalReference" TEXT,
    "status" "ReportStatus" NOT NULL DEFAULT 'OPEN',
    "incidentType" "IncidentType" NOT NULL,
    "incidentAt" TIMESTAMP(3) NOT NULL,
    "incidentDateTimeDescription" TEXT,
    "platform" VARCHAR(256),
    "escalationText" VARCHAR(3000),
    "annotations" "ReportAnnotation"[],
    "batchedReason" TEXT,
    "internetDetails" JSONB,
    "reporterDetails" JSONB,
    "additionalInfo" TEXT,
    "rawXml" TEXT,
    "priority" "Priority",
    "score" INTEGER,
    "priorityFactors" JSONB,
    "ruleVersion" TEXT,
    "queue" "Queue",
    "routeRule" TEXT,
    "routeReason" TEXT,
    "overrideReason" TEXT,
    "overriddenById" INTEGER,
    "overriddenAt" TIMESTAMP(3),
    "assigneeId" INTEGER,
    "claimedAt" TIMESTAMP(3),
    "leaseExpiresAt" TIMESTAMP(3),
    "slaDueAt" TIMESTAMP(3),
    "slaWarnedAt" TIMESTAMP(3),
    "slaBreachedAt" TIMESTAMP(3),
    "jurisdictionCountry" VARCHAR(2),
    "jurisdictionState" VARCHAR(2),
    "proposedAgencyId" INTEGER,
    "referredAgencyId" INTEGER,
    "referredAt" TIMESTAMP(3),
    "referredById" INTEGER,
    "closingReason" "ClosingReason",
    "closedAt" TIMESTAMP(3),
    "mergedIntoId" INTEGER,
    "openedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "receivedAt" TIMESTAMP(3),
    "triagedAt" TIMESTAMP(3),
    "retractedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportFile" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "fileId" CHAR(32) NOT NULL,
    "fileName" VARCHAR(2056),
    "originalFileName" VARCHAR(2056),
    "sizeBytes" BIGINT,
    "md5" CHAR(32),
    "sha1" CHAR(40),
    "sha256" CHAR(64),
    "pdq" CHAR(64),
    "pdqQuality" INTEGER,
    "locationOfFile" VARCHAR(2083),
    "uploadedToEspAt" TIMESTAMP(3),
    "fileViewedByEsp" BOOLEAN,
    "exifViewedByEsp" BOOLEAN,
    "publiclyAvailable" BOOLEAN,
    "fileRelevance" TEXT,
    "industryClassification" VARCHAR(2),
    "fileAnnotations" TEXT[],
    "details" JSONB,
    "matchStatus" "HashMatchStatus" NOT NULL DEFAULT 'UNCHECKED',
    "knownHashId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportFile_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportParty" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "role" "PartyRole" NOT NULL,
    "screenName" VARCHAR(256),
    "displayName" TEXT,
    "espIdentifier" VARCHAR(255),
    "espService" VARCHAR(100),
    "firstName" TEXT,
    "lastName" TEXT,
    "age" INTEGER,
    "dateOfBirth" DATE,
    "emails" TEXT[],
    "phones" TEXT[],
    "profileUrls" TEXT[],
    "ipCaptureEvents" JSONB,
    "estimatedLocation" JSONB,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportParty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartyIdentifier" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "partyId" INTEGER NOT NULL,
    "kind" "PartyIdentifierKind" NOT NULL,
    "value" TEXT NOT NULL,

    CONSTRAINT "PartyIdentifier_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReportEvent" (
    "id" SERIAL NOT NULL,
    "reportId" INTEGER NOT NULL,
    "kind" "ReportEventKind" NOT NULL,
    "actorId" INTEGER,
    "note" TEXT,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReportEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HashSet" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "description" TEXT,
    "importedById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HashSet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Series" (
    "id" SERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "identified" BOOLEAN NOT NULL DEFAULT false,
    "identifiedAt" TIMESTAMP(3),
    "notes" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Series_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "KnownHash" (
    "id" SERIAL NOT NULL,
    "hashType" "HashType" NOT NULL,
    "value" VARCHAR(64) NOT NULL,
    "category" "HashCategory" NOT NULL,
    "hashSetId" INTEGER NOT NULL,
    "seriesId" INTEGER,
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "KnownHash_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HashSearch" (
    "id" SERIAL NOT NULL,
    "officerId" INTEGER NOT NULL,
    "status" "HashSearchStatus" NOT NULL DEFAULT 'PENDING',
    "hashCount" INTEGER NOT NULL,
    "matchCount" INTEGER NOT NULL DEFAULT 0,
    "invalidCount" INTEGER NOT NULL DEFAULT 0,
    "results" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "HashSearch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" SERIAL NOT NULL,
    "kind" "NotificationKind" NOT NULL,
    "recipient" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "status" "NotificationStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "messageId" TEXT,
    "reportId" INTEGER,
    "queue" "Queue",
    "priority" "Priority",
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT,
    "action" TEXT NOT NULL,
    "objectType" TEXT,
    "objectId" TEXT,
    "outcome" "AuditOutcome" NOT NULL,
    "sourceIp" TEXT,
    "sessionId" TEXT,
    "details" JSONB,
    "prevHash" CHAR(64),
    "rowHash" CHAR(64) NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "sid" VARCHAR NOT NULL,
    "sess" JSONB NOT NULL,
    "expire" TIMESTAMP(6) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("sid")
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffUser_email_key" ON "StaffUser"("email");

-- CreateIndex
CREATE INDEX "StaffUser_role_isActive_idx" ON "StaffUser"("role", "isActive");

-- CreateIndex
CREATE UNIQUE INDEX "Agency_name_key" ON "Agency"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Agency_ori_key" ON "Agency"("ori");

-- CreateIndex
CREATE INDEX "Agency_kind_state_idx" ON "Agency"("kind", "state");

-- CreateIndex
CREATE UNIQUE INDEX "OfficerRegistration_officialEmail_key" ON "OfficerRegistration"("officialEmail");

-- CreateIndex
CREATE INDEX "OfficerRegistration_status_createdAt_idx" ON "OfficerRegistration"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "OfficerRegistration_agencyId_badgeNumber_key" ON "OfficerRegistration"("agencyId", "badgeNumber");

-- CreateIndex
CREATE UNIQUE INDEX "EspAccount_name_key" ON "EspAccount"("name");

-- CreateIndex
CREATE UNIQUE INDEX "EspAccount_username_key" ON "EspAccount"("username");

-- CreateIndex
CREATE INDEX "Report_queue_status_priority_receivedAt_idx" ON "Report"("queue", "status", "priority", "receivedAt");

-- CreateIndex
CREATE INDEX "Report_status_receivedAt_idx" ON "Report"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "Report_receivedAt_idx" ON "Report"("receivedAt");

-- CreateIndex
CREATE INDEX "Report_assigneeId_status_idx" ON "Report"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "Report_espAccountId_status_idx" ON "Report"("espAccountId", "status");

-- CreateIndex
CREATE INDEX "Report_status_slaDueAt_idx" ON "Report"("status", "slaDueAt");

-- CreateIndex
CREATE INDEX "Report_mergedIntoId_idx" ON "Report"("mergedIntoId");

-- CreateIndex
CREATE UNIQUE INDEX "ReportFile_fileId_key" ON "ReportFile"("fileId");

-- CreateIndex
CREATE INDEX "ReportFile_reportId_idx" ON "ReportFile"("reportId");

-- CreateIndex
CREATE INDEX "ReportFile_md5_idx" ON "ReportFile"("md5");

-- CreateIndex
CREATE INDEX "ReportFile_sha1_idx" ON "ReportFile"("sha1");

-- CreateIndex
CREATE INDEX "ReportFile_sha256_idx" ON "ReportFile"("sha256");

-- CreateIndex
CREATE INDEX "ReportFile_knownHashId_idx" ON "ReportFile"("knownHashId");

-- CreateIndex
CREATE INDEX "ReportParty_reportId_idx" ON "ReportParty"("reportId");

-- CreateIndex
CREATE INDEX "PartyIdentifier_kind_value_idx" ON "PartyIdentifier"("kind", "value");

-- CreateIndex
CREATE INDEX "PartyIdentifier_reportId_idx" ON "PartyIdentifier"("reportId");

-- CreateIndex
CREATE INDEX "ReportEvent_reportId_createdAt_idx" ON "ReportEvent"("reportId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "HashSet_name_key" ON "HashSet"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Series_name_key" ON "Series"("name");

-- CreateIndex
CREATE INDEX "KnownHash_seriesId_idx" ON "KnownHash"("seriesId");

-- CreateIndex
CREATE INDEX "KnownHash_hashSetId_idx" ON "KnownHash"("hashSetId");

-- CreateIndex
CREATE UNIQUE INDEX "KnownHash_hashType_value_key" ON "KnownHash"("hashType", "value");

-- CreateIndex
CREATE INDEX "HashSearch_officerId_createdAt_idx" ON "HashSearch"("officerId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_idempotencyKey_key" ON "Notification"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Notification_status_createdAt_idx" ON "Notification"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Notification_reportId_idx" ON "Notification"("reportId");

-- CreateIndex
CREATE INDEX "AuditEvent_objectType_objectId_idx" ON "AuditEvent"("objectType", "objectId");

-- CreateIndex
CREATE INDEX "AuditEvent_actorType_actorId_occurredAt_idx" ON "AuditEvent"("actorType", "actorId", "occurredAt");

-- CreateIndex
CREATE INDEX "AuditEvent_occurredAt_idx" ON "AuditEvent"("occurredAt");

-- CreateIndex
CREATE INDEX "session_expire_idx" ON "session"("expire");

-- AddForeignKey
ALTER TABLE "OfficerRegistration" ADD CONSTRAINT "OfficerRegistration_agencyId_fkey" FOREIGN KEY ("agencyId") REFERENCES "Agency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficerRegistration" ADD CONSTRAINT "OfficerRegistration_evidenceRecordedById_fkey" FOREIGN KEY ("evidenceRecordedById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OfficerRegistration" ADD CONSTRAINT "OfficerRegistration_verifiedById_fkey" FOREIGN KEY ("verifiedById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_espAccountId_fkey" FOREIGN KEY ("espAccountId") REFERENCES "EspAccount"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_overriddenById_fkey" FOREIGN KEY ("overriddenById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_assigneeId_fkey" FOREIGN KEY ("assigneeId") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_proposedAgencyId_fkey" FOREIGN KEY ("proposedAgencyId") REFERENCES "Agency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_referredAgencyId_fkey" FOREIGN KEY ("referredAgencyId") REFERENCES "Agency"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_referredById_fkey" FOREIGN KEY ("referredById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_mergedIntoId_fkey" FOREIGN KEY ("mergedIntoId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportFile" ADD CONSTRAINT "ReportFile_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportFile" ADD CONSTRAINT "ReportFile_knownHashId_fkey" FOREIGN KEY ("knownHashId") REFERENCES "KnownHash"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportParty" ADD CONSTRAINT "ReportParty_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyIdentifier" ADD CONSTRAINT "PartyIdentifier_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyIdentifier" ADD CONSTRAINT "PartyIdentifier_partyId_fkey" FOREIGN KEY ("partyId") REFERENCES "ReportParty"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportEvent" ADD CONSTRAINT "ReportEvent_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReportEvent" ADD CONSTRAINT "ReportEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HashSet" ADD CONSTRAINT "HashSet_importedById_fkey" FOREIGN KEY ("importedById") REFERENCES "StaffUser"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KnownHash" ADD CONSTRAINT "KnownHash_hashSetId_fkey" FOREIGN KEY ("hashSetId") REFERENCES "HashSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "KnownHash" ADD CONSTRAINT "KnownHash_seriesId_fkey" FOREIGN KEY ("seriesId") REFERENCES "Series"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "HashSearch" ADD CONSTRAINT "HashSearch_officerId_fkey" FOREIGN KEY ("officerId") REFERENCES "OfficerRegistration"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "Report"("id") ON DELETE SET NULL ON UPDATE CASCADE;


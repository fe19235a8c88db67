-- CreateEnum
CREATE TYPE "RegistrationTokenPurpose" AS ENUM ('EMAIL_CONFIRMATION', 'SUPERVISOR_CONFIRMATION');

-- AlterTable
ALTER TABLE "OfficerRegistration" ADD COLUMN     "applicantResponse" TEXT,
ADD COLUMN     "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateTable
CREATE TABLE "RegistrationToken" (
    "id" SERIAL NOT NULL,
    "registrationId" INTEGER NOT NULL,
    "purpose" "RegistrationTokenPurpose" NOT NULL,
    "digest" CHAR(64) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegistrationToken_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RegistrationToken_digest_key" ON "RegistrationToken"("digest");

-- CreateIndex
CREATE INDEX "RegistrationToken_registrationId_purpose_idx" ON "RegistrationToken"("registrationId", "purpose");

-- AddForeignKey
ALTER TABLE "RegistrationToken" ADD CONSTRAINT "RegistrationToken_registrationId_fkey" FOREIGN KEY ("registrationId") REFERENCES "OfficerRegistration"("id") ON DELETE CASCADE ON UPDATE CASCADE;


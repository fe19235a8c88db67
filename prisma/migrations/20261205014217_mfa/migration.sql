-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "mfaLastTimeStep" INTEGER,
ADD COLUMN     "mfaRecoveryCodes" TEXT[];

-- AlterTable
ALTER TABLE "OfficerRegistration" ADD COLUMN     "mfaLastTimeStep" INTEGER,
ADD COLUMN     "mfaRecoveryCodes" TEXT[];


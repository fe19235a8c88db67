-- AlterTable
ALTER TABLE "StaffUser" ADD COLUMN     "recentFailedSignIns" TIMESTAMP(3)[];

-- AlterTable
ALTER TABLE "OfficerRegistration" ADD COLUMN     "recentFailedSignIns" TIMESTAMP(3)[];


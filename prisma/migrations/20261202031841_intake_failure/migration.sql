-- AlterTable
ALTER TABLE "Dispute" ADD COLUMN "intakeFailedAt" DATETIME;
ALTER TABLE "Dispute" ADD COLUMN "intakeFailure" TEXT;


-- AlterTable
ALTER TABLE "Dispute" ADD COLUMN     "intakeFailedAt" TIMESTAMP(3),
ADD COLUMN     "intakeFailure" TEXT;


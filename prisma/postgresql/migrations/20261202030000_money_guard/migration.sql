-- AlterTable
ALTER TABLE "Invoice" ADD COLUMN     "replacesId" TEXT;

-- AlterTable
ALTER TABLE "Adjustment" ADD COLUMN     "reversesId" TEXT;

-- AlterTable
ALTER TABLE "Installment" ADD COLUMN     "paid" BIGINT NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Invoice_replacesId_idx" ON "Invoice"("replacesId");

-- CreateIndex
CREATE UNIQUE INDEX "Adjustment_reversesId_key" ON "Adjustment"("reversesId");

-- AddForeignKey
ALTER TABLE "Adjustment" ADD CONSTRAINT "Adjustment_reversesId_fkey" FOREIGN KEY ("reversesId") REFERENCES "Adjustment"("id") ON DELETE SET NULL ON UPDATE CASCADE;


-- Settle's corrected invoices name the invoice they replaced (until reversals existed, an
-- original's voidedById was always its replacement).
UPDATE "Invoice" SET "replacesId" = (
  SELECT "original"."id" FROM "Invoice" AS "original" WHERE "original"."voidedById" = "Invoice"."id"
) WHERE EXISTS (
  SELECT 1 FROM "Invoice" AS "original" WHERE "original"."voidedById" = "Invoice"."id"
);

-- One open dispute per invoice: the oldest open dispute keeps the invoice as its key, any other
-- stays open without one (investigation and the ledger's guard count what it already corrected).
UPDATE "Dispute" SET "openKey" = NULL WHERE "openKey" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "Dispute" AS "older"
  WHERE "older"."openKey" IS NOT NULL AND "older"."invoiceId" = "Dispute"."invoiceId"
    AND ("older"."openedAt" < "Dispute"."openedAt"
      OR ("older"."openedAt" = "Dispute"."openedAt" AND "older"."id" < "Dispute"."id"))
);
UPDATE "Dispute" SET "openKey" = "invoiceId" WHERE "openKey" IS NOT NULL;

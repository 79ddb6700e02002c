-- AlterTable
ALTER TABLE "Invoice" ADD COLUMN "replacesId" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Adjustment" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disputeId" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "documentNumber" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "tax" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reversesId" TEXT,
    CONSTRAINT "Adjustment_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Adjustment_reversesId_fkey" FOREIGN KEY ("reversesId") REFERENCES "Adjustment" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Adjustment" ("amount", "createdAt", "currency", "details", "disputeId", "documentNumber", "id", "idempotencyKey", "kind", "tax") SELECT "amount", "createdAt", "currency", "details", "disputeId", "documentNumber", "id", "idempotencyKey", "kind", "tax" FROM "Adjustment";
DROP TABLE "Adjustment";
ALTER TABLE "new_Adjustment" RENAME TO "Adjustment";
CREATE UNIQUE INDEX "Adjustment_idempotencyKey_key" ON "Adjustment"("idempotencyKey");
CREATE UNIQUE INDEX "Adjustment_documentNumber_key" ON "Adjustment"("documentNumber");
CREATE UNIQUE INDEX "Adjustment_reversesId_key" ON "Adjustment"("reversesId");
CREATE INDEX "Adjustment_disputeId_idx" ON "Adjustment"("disputeId");
CREATE TABLE "new_Installment" (
    "adjustmentId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "dueAt" TEXT NOT NULL,
    "amount" BIGINT NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "paid" BIGINT NOT NULL DEFAULT 0,

    PRIMARY KEY ("adjustmentId", "number"),
    CONSTRAINT "Installment_adjustmentId_fkey" FOREIGN KEY ("adjustmentId") REFERENCES "Adjustment" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Installment" ("adjustmentId", "amount", "currency", "dueAt", "number", "status") SELECT "adjustmentId", "amount", "currency", "dueAt", "number", "status" FROM "Installment";
DROP TABLE "Installment";
ALTER TABLE "new_Installment" RENAME TO "Installment";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Invoice_replacesId_idx" ON "Invoice"("replacesId");


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

-- CreateTable
CREATE TABLE "Note" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "disputeId" TEXT NOT NULL,
    "author" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    CONSTRAINT "Note_disputeId_fkey" FOREIGN KEY ("disputeId") REFERENCES "Dispute" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Dispute" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "workflowId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "invoiceId" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "lineIds" TEXT NOT NULL DEFAULT '[]',
    "claimedAmount" BIGINT,
    "currency" TEXT NOT NULL,
    "contactName" TEXT NOT NULL,
    "contactEmail" TEXT NOT NULL,
    "evidence" TEXT NOT NULL DEFAULT '[]',
    "phase" TEXT NOT NULL,
    "resolution" TEXT,
    "verdict" TEXT,
    "totalDelta" BIGINT,
    "escalationLevel" INTEGER NOT NULL DEFAULT 0,
    "assignee" TEXT,
    "deadline" DATETIME,
    "offer" TEXT,
    "rootCause" TEXT,
    "internal" BOOLEAN NOT NULL DEFAULT false,
    "openKey" TEXT,
    "openedBy" TEXT NOT NULL,
    "openedAt" DATETIME NOT NULL,
    "closedAt" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Dispute_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Dispute" ("assignee", "claimedAmount", "closedAt", "contactEmail", "contactName", "currency", "customerId", "deadline", "description", "escalationLevel", "evidence", "id", "internal", "invoiceId", "lineIds", "offer", "openKey", "openedAt", "openedBy", "phase", "reason", "resolution", "rootCause", "totalDelta", "updatedAt", "verdict", "workflowId") SELECT "assignee", "claimedAmount", "closedAt", "contactEmail", "contactName", "currency", "customerId", "deadline", "description", "escalationLevel", "evidence", "id", "internal", "invoiceId", "lineIds", "offer", "openKey", "openedAt", "openedBy", "phase", "reason", "resolution", "rootCause", "totalDelta", "updatedAt", "verdict", "workflowId" FROM "Dispute";
DROP TABLE "Dispute";
ALTER TABLE "new_Dispute" RENAME TO "Dispute";
CREATE UNIQUE INDEX "Dispute_workflowId_key" ON "Dispute"("workflowId");
CREATE UNIQUE INDEX "Dispute_openKey_key" ON "Dispute"("openKey");
CREATE INDEX "Dispute_phase_openedAt_idx" ON "Dispute"("phase", "openedAt");
CREATE INDEX "Dispute_customerId_phase_idx" ON "Dispute"("customerId", "phase");
CREATE INDEX "Dispute_invoiceId_reason_idx" ON "Dispute"("invoiceId", "reason");
CREATE INDEX "Dispute_escalationLevel_idx" ON "Dispute"("escalationLevel");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Note_disputeId_idx" ON "Note"("disputeId");


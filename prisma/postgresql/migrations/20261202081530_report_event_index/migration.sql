-- CreateIndex
CREATE INDEX "DisputeEvent_type_at_idx" ON "DisputeEvent"("type", "at");


// The read model never goes backwards, and a recurrence check answers the same findings on every
// attempt: against real SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMonitoringActivities } from '../../activities/monitoring';
import { importBundle } from '../../store/billing/import';
import { recordDispute } from '../../store/disputes/open';
import { saveProjection, type DisputeProjection } from '../../store/disputes/read-model';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import { sampleBundle } from '../support/sample-data';

describe.each(DATABASE_KINDS)('the dispute read model on %s', (kind) => {
  let database: TestDatabase;
  let disputeId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importBundle(database.db, sampleBundle());
    const recorded = await recordDispute(
      database.db,
      {
        actor: 'agent:test',
        internal: false,
        body: {
          customerId: 'C-200',
          invoiceId: 'INV-2001',
          reason: 'pricing_error',
          description: 'Switches above contract price',
          contact: { name: 'Dana Lee', email: 'dana@example.com' },
        },
      },
      new Date(),
    );
    disputeId = recorded.id;
  });
  afterAll(async () => database?.drop());

  const projection = (version: number, phase: DisputeProjection['phase']): DisputeProjection => ({
    disputeId,
    phase,
    verdict: 'overcharged',
    resolution: null,
    totalDelta: { amount: '3066.19', currency: 'USD' },
    escalationLevel: version,
    assignee: null,
    deadline: null,
    offer: null,
    rootCause: null,
    closedAt: null,
    version,
  });

  it('keeps the newest projection when an older one is written late (a retried activity)', async () => {
    expect(await saveProjection(database.db, projection(2, 'awaiting_customer'))).toMatchObject({
      saved: true,
    });
    // Version 1 arrives after version 2: a timed-out attempt that committed late.
    expect(await saveProjection(database.db, projection(1, 'awaiting_decision'))).toEqual({
      saved: false,
    });
    expect(await saveProjection(database.db, projection(2, 'awaiting_decision'))).toEqual({
      saved: false,
    });
    const row = await database.db.dispute.findUniqueOrThrow({ where: { id: disputeId } });
    expect({ phase: row.phase, version: row.version, level: row.escalationLevel }).toEqual({
      phase: 'awaiting_customer',
      version: 2,
      level: 2,
    });
    expect(await saveProjection(database.db, projection(3, 'monitoring'))).toMatchObject({
      saved: true,
    });
  });

  it('answers a retried recurrence check with the findings of the first attempt', async () => {
    const monitoring = createMonitoringActivities({ db: database.db, clock: () => new Date() });
    const check = { disputeId, invoiceId: 'INV-2002', rules: ['retroactive_discount', 'tax'] };
    const first = await monitoring.checkRecurrence(check);
    expect(first.findings.map((f) => f.rule).sort()).toEqual(['retroactive_discount', 'tax']);
    // The first attempt's answer was lost (the worker died after the write): the retry sees
    // its mark and must still report the recurrence.
    const retry = await monitoring.checkRecurrence(check);
    expect(retry).toEqual(first);
    const marks = await database.db.disputeEvent.findMany({
      where: { disputeId, type: 'invoice_checked' },
    });
    expect(marks).toHaveLength(1);
  });
});

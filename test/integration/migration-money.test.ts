// The data part of this branch's migration, on rows written the way the earlier schema wrote them:
// open keys become the invoice (the oldest open dispute of an invoice keeps it) and Settle's
// corrected invoices name the invoice they replaced.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaPaths } from '../../store/database-url';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import {
  applyCorrection,
  correctionRequest,
  createDispute,
  importSample,
  ledgerDeps,
} from '../support/ledger';
import { fromRepoRoot } from '../support/temporal';

const MIGRATION = '20261202030000_money_guard';

/** The migration's UPDATE statements (its data part), comments left out. */
function dataStatements(kind: keyof typeof schemaPaths): string[] {
  const sql = readFileSync(
    fromRepoRoot(`${schemaPaths[kind].migrations}/${MIGRATION}/migration.sql`),
    'utf8',
  );
  return sql
    .split(/;\s*$/m)
    .map((s) =>
      s
        .split('\n')
        .filter((line) => !line.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s.startsWith('UPDATE'));
}

describe.each(DATABASE_KINDS)('the money migration on %s', (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind);
    await importSample(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('keeps one open key per invoice, the oldest open dispute’s, and links replacements', async () => {
    const { db } = database;
    const statements = dataStatements(kind);
    expect(statements).toHaveLength(3);
    const open = async (invoiceId: string, reason: string, at: string): Promise<string> => {
      const id = await createDispute(db, 'C-200', invoiceId);
      await db.dispute.update({
        where: { id },
        data: { reason, openKey: `${invoiceId}|${reason}`, openedAt: new Date(at) },
      });
      return id;
    };
    const older = await open('INV-2001', 'pricing_error', '2026-03-01T10:00:00Z');
    const newer = await open('INV-2001', 'tax_error', '2026-03-02T10:00:00Z');
    const alone = await open('INV-2002', 'tax_error', '2026-03-03T10:00:00Z');
    const closed = await createDispute(db, 'C-200', 'INV-2002');
    await db.dispute.update({ where: { id: closed }, data: { phase: 'closed', openKey: null } });
    // A corrected invoice issued before replacesId existed.
    const disputeId = await createDispute(db, 'C-300', 'INV-3002');
    const [corrected] = await applyCorrection(
      ledgerDeps(db),
      correctionRequest(disputeId, 'C-300', 'INV-3002', 'corrected_invoice', '100.00', 'EUR'),
    );
    await db.invoice.update({
      where: { id: corrected!.documentNumber },
      data: { replacesId: null },
    });

    for (const statement of statements) await db.$executeRawUnsafe(statement);

    const keys = Object.fromEntries(
      (
        await db.dispute.findMany({
          where: { id: { in: [older, newer, alone, closed] } },
          select: { id: true, openKey: true },
        })
      ).map((d) => [d.id, d.openKey]),
    );
    expect(keys).toEqual({
      [older]: 'INV-2001',
      [newer]: null,
      [alone]: 'INV-2002',
      [closed]: null,
    });
    expect(
      (await db.invoice.findUniqueOrThrow({ where: { id: corrected!.documentNumber } })).replacesId,
    ).toBe('INV-3002');
    expect(
      (await db.invoice.findUniqueOrThrow({ where: { id: 'INV-3002' } })).replacesId,
    ).toBeNull();
  });
});

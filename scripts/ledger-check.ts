// `npm run ledger:check`: the ledger's invariants against DATABASE_URL, as a table; exit 1 on a violation.
import { checkLedgerInDatabase } from '../store/ledger/snapshot';
import { loadConfig } from '../config';
import type { LedgerReport } from '../domain/ledger/invariants';
import { formatAmount, money } from '../domain/money';
import { databaseKind } from '../store/database-url';
import { createPrisma } from '../store/db';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function render(report: LedgerReport): string {
  const receivables = report.receivables.map((r) => [
    r.customerId,
    r.currency,
    formatAmount(money(r.ledger, r.currency)),
    formatAmount(money(r.expected, r.currency)),
    r.ledger === r.expected ? 'ok' : 'MISMATCH',
  ]);
  const violations = report.violations.map((v) => [v.rule, v.subject, v.message]);
  return [
    `postings ${report.postings}, entries ${report.entries}, customers ${new Set(report.receivables.map((r) => r.customerId)).size}`,
    '',
    table([
      ['customer', 'currency', 'receivable (ledger)', 'receivable (documents)', 'status'],
      ...receivables,
    ]),
    '',
    violations.length
      ? table([['violation', 'subject', 'detail'], ...violations])
      : 'no violations',
  ].join('\n');
}

const config = loadConfig();
const db = await createPrisma(config.DATABASE_URL);
try {
  const report = await checkLedgerInDatabase(db);
  console.log(`ledger check on ${databaseKind(config.DATABASE_URL)}\n`);
  console.log(render(report));
  if (report.violations.length > 0) process.exitCode = 1;
} finally {
  await db.$disconnect();
}

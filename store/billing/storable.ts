// Billing records the domain accepts but the database cannot hold: amounts beyond 64-bit minor
// units, counts beyond 32-bit integers. Found before anything is written, with their paths.
import type { Bundle } from '../../domain/bundle';
import { jsonPath } from '../../domain/errors';
import { MAX_STORED_INT, storageProblem } from '../limits';

const AMOUNT_KEYS = new Set(['unitPrice', 'lineTotal', 'subtotal', 'tax', 'total', 'amount']);
const COUNT_KEYS = new Set(['quantity', 'minQuantity']);

export interface StorageIssue {
  path: string;
  message: string;
}

function visit(
  value: unknown,
  currency: string | undefined,
  path: PropertyKey[],
  out: StorageIssue[],
): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => visit(item, currency, [...path, i], out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  const own = typeof record.currency === 'string' ? record.currency : currency;
  for (const [key, child] of Object.entries(record)) {
    if (AMOUNT_KEYS.has(key) && typeof child === 'string' && own !== undefined) {
      const problem = storageProblem(child, own);
      if (problem) out.push({ path: jsonPath([...path, key]), message: problem });
    } else if (COUNT_KEYS.has(key) && typeof child === 'number' && child > MAX_STORED_INT) {
      out.push({ path: jsonPath([...path, key]), message: `must be at most ${MAX_STORED_INT}` });
    } else {
      visit(child, own, [...path, key], out);
    }
  }
}

/** Contract prices are in the customer's currency, which the bundle or the database gives. */
export function storageIssues(
  bundle: Bundle,
  customerCurrency: (id: string) => string | undefined,
): StorageIssue[] {
  const out: StorageIssue[] = [];
  const { contracts, ...rest } = bundle;
  visit(rest, undefined, [], out);
  contracts.forEach((contract, n) =>
    visit(contract, customerCurrency(contract.customerId), ['contracts', n], out),
  );
  return out;
}

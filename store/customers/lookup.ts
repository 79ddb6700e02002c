// Customers for look-ups (the console's new-dispute form) and the customer page.
import type { Db } from '../db';

export interface CustomerSummary {
  id: string;
  name: string;
  email: string;
  currency: string;
  locale: string;
}

export interface CustomerDetails extends CustomerSummary {
  taxRate: string;
  billingAddress: { line1: string; city: string; postalCode: string; country: string };
}

const likeContains = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Customers whose number, name or email contains `q` (any case), by number; all without `q`. */
export async function searchCustomers(
  db: Db,
  q: string | undefined,
  limit: number,
): Promise<CustomerSummary[]> {
  const select = { id: true, name: true, email: true, currency: true, locale: true } as const;
  if (!q) return db.customer.findMany({ select, orderBy: { id: 'asc' }, take: limit });
  const pattern = likeContains(q.toLowerCase());
  // LOWER … LIKE is case-insensitive on SQLite and PostgreSQL alike (Prisma's `mode` is PostgreSQL-only).
  const ids = await db.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Customer"
    WHERE LOWER("id") LIKE ${pattern} ESCAPE '\\'
       OR LOWER("name") LIKE ${pattern} ESCAPE '\\'
       OR LOWER("email") LIKE ${pattern} ESCAPE '\\'
    ORDER BY "id" LIMIT ${limit}`;
  return db.customer.findMany({
    select,
    where: { id: { in: ids.map((r) => r.id) } },
    orderBy: { id: 'asc' },
  });
}

export async function loadCustomer(db: Db, id: string): Promise<CustomerDetails | null> {
  const row = await db.customer.findUnique({ where: { id } });
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    currency: row.currency,
    locale: row.locale,
    taxRate: row.taxRate,
    billingAddress: {
      line1: row.addressLine1,
      city: row.addressCity,
      postalCode: row.addressPostalCode,
      country: row.addressCountry,
    },
  };
}

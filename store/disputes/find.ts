// Reading disputes from the read model: one by id (its reference, or with findings, adjustments
// and timeline), and the disputes of a customer in monitoring.
import type { Db, Prisma } from '../db';
import { adjustmentWithInstallments } from '../ledger/rows';

/** What an action needs to know about a dispute before it reaches the workflow. */
export interface DisputeRef {
  id: string;
  workflowId: string;
  phase: string;
  customerId: string;
  invoiceId: string;
  currency: string;
}

export function findDisputeRef(db: Db, id: string): Promise<DisputeRef | null> {
  return db.dispute.findUnique({
    where: { id },
    select: {
      id: true,
      workflowId: true,
      phase: true,
      customerId: true,
      invoiceId: true,
      currency: true,
    },
  });
}

const withCustomerName = { customer: { select: { name: true } } } satisfies Prisma.DisputeInclude;

const withRelations = {
  ...withCustomerName,
  findings: { orderBy: { position: 'asc' } },
  adjustments: {
    orderBy: [{ createdAt: 'asc' }, { documentNumber: 'asc' }],
    include: {
      ...adjustmentWithInstallments,
      posting: { include: { entries: { orderBy: { id: 'asc' } } } },
    },
  },
  events: { orderBy: { id: 'asc' } },
  notes: { select: { id: true, text: true } },
} satisfies Prisma.DisputeInclude;

/** The dispute's own columns. */
export type DisputeRow = Prisma.DisputeGetPayload<object>;
/** The dispute's own columns and its customer's name, as lists show it. */
export type DisputeSummaryRow = Prisma.DisputeGetPayload<{ include: typeof withCustomerName }>;
export { withCustomerName };
/** The dispute with its customer's name, findings (in order), adjustments with their postings,
 * and timeline (oldest first). */
export type DisputeDetailRow = Prisma.DisputeGetPayload<{ include: typeof withRelations }>;

export function findDisputeDetail(db: Db, id: string): Promise<DisputeDetailRow | null> {
  return db.dispute.findUnique({ where: { id }, include: withRelations });
}

/** The customer's disputes in monitoring, except those about `exceptInvoiceId`, oldest first. */
export function monitoringDisputesOfCustomer(
  db: Db,
  customerId: string,
  exceptInvoiceId: string,
): Promise<{ id: string; workflowId: string }[]> {
  return db.dispute.findMany({
    where: { customerId, phase: 'monitoring', invoiceId: { not: exceptInvoiceId } },
    select: { id: true, workflowId: true },
    orderBy: { openedAt: 'asc' },
  });
}

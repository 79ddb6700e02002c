import { InvestigationInputError, type InvestigationInput } from './input';
import type { BillingRecords } from './records';

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new InvestigationInputError(`${what} is not in the records`);
  return value;
}

/** Gathers one invoice's investigation input from a set of records (an import, a test fixture). */
export function investigationInputFor(
  records: BillingRecords,
  invoiceId: string,
  reason?: string | null,
): InvestigationInput {
  const invoice = required(
    records.invoices.find((candidate) => candidate.id === invoiceId),
    `invoice ${invoiceId}`,
  );
  const customer = required(
    records.customers.find((candidate) => candidate.id === invoice.customerId),
    `customer ${invoice.customerId}`,
  );
  const purchaseOrder = required(
    records.purchaseOrders.find((candidate) => candidate.id === invoice.purchaseOrderId),
    `purchase order ${invoice.purchaseOrderId}`,
  );
  const contract = required(
    records.contracts.find((candidate) => candidate.id === purchaseOrder.contractId),
    `contract ${purchaseOrder.contractId}`,
  );
  return {
    invoice,
    customer,
    purchaseOrder,
    contract,
    deliveries: records.deliveries.filter((d) => d.purchaseOrderId === purchaseOrder.id),
    otherInvoices: records.invoices.filter(
      (other) => other.customerId === customer.id && other.id !== invoice.id,
    ),
    payments: records.payments.filter((payment) => payment.customerId === customer.id),
    reason: reason ?? null,
  };
}

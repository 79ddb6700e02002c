// GET /v1/invoices/{id}: an invoice with its lines, as billed (the dispute page shows findings
// beside them).
import { ROLES } from '../../config';
import { loadInvoice } from '../../store/billing/invoice-view';
import type { AppDeps } from '../http/deps';
import { notFound } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';
import { invoiceIdParams, invoiceViewSchema } from './schemas';

export function invoiceReadRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/invoices/:id',
      summary: 'An invoice with its lines',
      tag: 'billing',
      roles: ROLES,
      params: invoiceIdParams,
      success: { status: 200, description: 'The invoice', schema: invoiceViewSchema },
      errors: [404],
      handler: async ({ params }) => {
        const invoice = await loadInvoice(db, params.id);
        if (!invoice) throw notFound(`Invoice ${params.id}`);
        return invoice;
      },
    }),
  ];
}

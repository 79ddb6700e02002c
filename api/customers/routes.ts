// Customers: a look-up by number, name or email, one customer, and their invoices.
import { ROLES } from '../../config';
import { listCustomerInvoices } from '../../store/billing/invoice-view';
import { loadCustomer, searchCustomers } from '../../store/customers/lookup';
import type { AppDeps } from '../http/deps';
import { notFound } from '../http/errors';
import { defineRoute, type AnyRoute } from '../http/route';
import { customerIdParams } from '../ledger/schemas';
import {
  customerInvoicesQuery,
  customerListSchema,
  customerSchema,
  customerSearchQuery,
  invoiceListSchema,
} from './schemas';
import { linkTo } from '../http/openapi';

export function customerLookupRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/customers',
      summary: 'Customers whose number, name or email contains the search text, by number',
      tag: 'customers',
      roles: ROLES,
      query: customerSearchQuery,
      success: { status: 200, description: 'Matching customers', schema: customerListSchema },
      links: {
        GetCustomer: linkTo('GET', '/v1/customers/:id', { id: '$response.body#/items/0/id' }),
        GetCustomerInvoices: linkTo('GET', '/v1/customers/:id/invoices', {
          id: '$response.body#/items/0/id',
        }),
        GetCustomerLedger: linkTo('GET', '/v1/customers/:id/ledger', {
          id: '$response.body#/items/0/id',
        }),
      },
      handler: async ({ query }) => ({ items: await searchCustomers(db, query.q, query.limit) }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/customers/:id',
      summary: 'A customer',
      tag: 'customers',
      roles: ROLES,
      params: customerIdParams,
      success: { status: 200, description: 'The customer', schema: customerSchema },
      errors: [404],
      handler: async ({ params }) => {
        const customer = await loadCustomer(db, params.id);
        if (!customer) throw notFound(`Customer ${params.id}`);
        return customer;
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/customers/:id/invoices',
      summary: "A customer's invoices, newest first",
      tag: 'customers',
      roles: ROLES,
      params: customerIdParams,
      query: customerInvoicesQuery,
      success: { status: 200, description: 'A page of invoices', schema: invoiceListSchema },
      links: {
        GetInvoice: linkTo('GET', '/v1/invoices/:id', { id: '$response.body#/items/0/id' }),
        OpenDispute: linkTo('POST', '/v1/disputes', {}, 'Dispute the newest invoice', {
          customerId: '$response.body#/items/0/customerId',
          invoiceId: '$response.body#/items/0/id',
        }),
      },
      errors: [404],
      handler: async ({ params, query }) => {
        const page = await listCustomerInvoices(db, params.id, query);
        if (!page) throw notFound(`Customer ${params.id}`);
        return page;
      },
    }),
  ];
}

import { ROLES } from '../../config';
import type { AppDeps } from '../http/deps';
import { notFound } from '../http/errors';
import { loadCustomerLedger } from '../../store/ledger/customer-ledger';
import { customerLedgerDto } from './dto';
import { defineRoute, type AnyRoute } from '../http/route';
import { customerIdParams, customerLedgerSchema, ledgerQuery } from './schemas';

export function ledgerRoutes({ db }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/customers/:id/ledger',
      summary: "A customer's ledger entries (newest first) and the balance per account",
      tag: 'ledger',
      roles: ROLES,
      params: customerIdParams,
      query: ledgerQuery,
      success: { status: 200, description: 'Entries and balances', schema: customerLedgerSchema },
      errors: [404],
      handler: async ({ params, query }) => {
        const rows = await loadCustomerLedger(db, params.id, {
          limit: query.limit,
          before: query.cursor === undefined ? undefined : Number(query.cursor),
        });
        if (!rows) throw notFound(`Customer ${params.id}`);
        return customerLedgerDto(params.id, rows);
      },
    }),
  ];
}

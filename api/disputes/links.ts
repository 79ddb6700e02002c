// OpenAPI links from a response that names a dispute to what can be done with it next.
import { linkTo } from '../http/openapi';
import type { OperationLink } from '../http/route';
import { ACTION_PATHS } from './action-paths';

const pascal = (path: string): string =>
  path.replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase());

/** Links from a dispute at the JSON pointer `at` (e.g. `` or `/items/0`) of the response body. */
export function disputeLinks(at = ''): Record<string, OperationLink> {
  const id = { id: `$response.body#${at}/id` };
  return {
    GetDispute: linkTo('GET', '/v1/disputes/:id', id, 'The dispute'),
    GetDisputeEmails: linkTo('GET', '/v1/disputes/:id/emails', id, 'Its emails'),
    ...Object.fromEntries(
      ACTION_PATHS.map((path) => [
        `Post${pascal(path)}`,
        linkTo('POST', `/v1/disputes/:id/${path}`, id, `The ${path} action`),
      ]),
    ),
    GetCustomer: linkTo(
      'GET',
      '/v1/customers/:id',
      { id: `$response.body#${at}/customerId` },
      'The disputing customer',
    ),
    GetCustomerLedger: linkTo(
      'GET',
      '/v1/customers/:id/ledger',
      { id: `$response.body#${at}/customerId` },
      'The customer’s ledger',
    ),
    GetInvoice: linkTo(
      'GET',
      '/v1/invoices/:id',
      { id: `$response.body#${at}/invoiceId` },
      'The disputed invoice',
    ),
  };
}

// POST /v1/invoices: a newly issued invoice from the billing system, recorded like an import,
// then signalled to the customer's disputes in monitoring so they check it for a recurrence.
import { WorkflowNotFoundError } from '@temporalio/common';
import { z } from 'zod';
import type { Bundle } from '../../domain/bundle';
import { documentedInvoiceSchema } from '../import/bundle-docs';
import { DomainError } from '../../domain/errors';
import { importRecords } from '../../store/billing/import';
import { customerCurrency, invoiceCustomer } from '../../store/billing/lookups';
import { monitoringDisputesOfCustomer } from '../../store/disputes/find';
import { newInvoiceSignal } from '../../workflows/messages';
import type { AppDeps } from '../http/deps';
import { notFound, unprocessable } from '../http/errors';
import { findInvoiceView } from '../../store/billing/invoice-view';
import { ROLES } from '../../config';
import { defineRoute, type AnyRoute } from '../http/route';
import { invoiceIdParams, invoiceViewSchema } from './schemas';
import { TEMPORAL_CALL_TIMEOUT_MS } from '../http/temporal-errors';
import { linkTo } from '../http/openapi';

const recorded = z.object({
  invoiceId: z.string(),
  customerId: z.string(),
  /** False when an invoice with this id existed and was replaced. */
  created: z.boolean(),
  /** The disputes in monitoring that were told about the invoice. */
  signalledDisputes: z.array(z.string()),
});

const BUNDLE_PREFIX = '$.invoices[0]';

/** Problems of the one-invoice bundle (store/ throws them), with paths relative to the request body. */
function rebase(error: unknown): unknown {
  if (!(error instanceof DomainError) || !Array.isArray(error.details)) return error;
  const details = (error.details as { path?: unknown }[]).map((d) =>
    typeof d.path === 'string' && d.path.startsWith(BUNDLE_PREFIX)
      ? { ...d, path: `$${d.path.slice(BUNDLE_PREFIX.length)}` }
      : d,
  );
  return new DomainError(
    error.kind,
    error.message.replace('bundle', 'invoice'),
    details,
    error.code,
  );
}

export function invoiceRoutes(deps: AppDeps): AnyRoute[] {
  const { db, temporal } = deps;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/invoices/:id',
      summary: 'An invoice with its lines and the collection hold of its open disputes',
      tag: 'billing',
      roles: ROLES,
      params: invoiceIdParams,
      success: { status: 200, description: 'The invoice', schema: invoiceViewSchema },
      errors: [404],
      handler: async ({ params }) => {
        const invoice = await findInvoiceView(db, params.id);
        if (!invoice) throw notFound(`Invoice ${params.id}`);
        return invoice;
      },
    }),
    defineRoute({
      method: 'POST',
      url: '/v1/invoices',
      summary: 'Record a newly issued invoice; the customer’s disputes in monitoring check it',
      tag: 'billing',
      roles: ['operations'],
      body: documentedInvoiceSchema,
      // An invoice can run to thousands of lines, like the invoices of an import bundle.
      bodyLimit: deps.config.IMPORT_BODY_LIMIT_BYTES,
      success: {
        status: 201,
        description: 'Recorded (201 when new, 200 when it replaced an invoice with the same id)',
        schema: recorded,
      },
      links: {
        GetInvoice: linkTo('GET', '/v1/invoices/:id', { id: '$response.body#/invoiceId' }),
      },
      errors: [422, 503],
      handler: async ({ body, reply }) => {
        const currency = await customerCurrency(db, body.customerId);
        if (currency !== null && currency !== body.currency) {
          throw unprocessable('The invoice does not fit its customer; nothing was recorded', [
            {
              path: '$.currency',
              message: `must be ${currency}, the currency of customer ${body.customerId}`,
            },
          ]);
        }
        const owner = await invoiceCustomer(db, body.id);
        if (owner !== null && owner !== body.customerId) {
          throw unprocessable(
            'The invoice does not fit the existing records; nothing was recorded',
            [{ path: '$.customerId', message: `invoice ${body.id} belongs to customer ${owner}` }],
          );
        }
        const bundle: Bundle = {
          customers: [],
          contracts: [],
          purchaseOrders: [],
          deliveries: [],
          invoices: [body],
          payments: [],
        };
        try {
          await importRecords(db, bundle);
        } catch (error) {
          throw rebase(error);
        }

        // Told every time the invoice is posted: a retry after a failed signal must reach them too.
        const monitoring = await monitoringDisputesOfCustomer(db, body.customerId, body.id);
        const signalled: string[] = [];
        await temporal.withDeadline(
          Date.now() + (deps.temporalTimeoutMs ?? TEMPORAL_CALL_TIMEOUT_MS),
          async () => {
            for (const dispute of monitoring) {
              try {
                await temporal.workflow
                  .getHandle(dispute.workflowId)
                  .signal(newInvoiceSignal, { invoiceId: body.id });
                signalled.push(dispute.id);
              } catch (error) {
                // Its workflow ended since the read model said monitoring: nothing left to check.
                if (!(error instanceof WorkflowNotFoundError)) throw error;
              }
            }
          },
        );
        const created = owner === null;
        reply.code(created ? 201 : 200);
        return {
          invoiceId: body.id,
          customerId: body.customerId,
          created,
          signalledDisputes: signalled,
        };
      },
    }),
  ];
}

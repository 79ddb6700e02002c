import { z } from 'zod';
import type { AppDeps } from '../http/deps';
import { importBundle } from '../../store/billing/import';
import { defineRoute, type AnyRoute } from '../http/route';
import { documentedBundleSchema } from './bundle-docs';

const counts = z.object({
  customers: z.number().int(),
  contracts: z.number().int(),
  purchaseOrders: z.number().int(),
  deliveries: z.number().int(),
  invoices: z.number().int(),
  payments: z.number().int(),
});

export function importRoutes({ db, config }: AppDeps): AnyRoute[] {
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/import',
      summary: 'Upsert a bundle of billing records (all or nothing)',
      tag: 'import',
      roles: ['operations', 'manager'],
      // importBundle validates the body itself, so error paths are the bundle's own.
      documentBody: documentedBundleSchema,
      bodyLimit: config.IMPORT_BODY_LIMIT_BYTES,
      success: { status: 200, description: 'Records upserted, counted per kind', schema: counts },
      errors: [422],
      handler: async ({ request }) => importBundle(db, request.body),
    }),
  ];
}

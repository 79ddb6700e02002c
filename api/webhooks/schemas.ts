// The webhook API's schemas, and every event's payload as receivers get it (the OpenAPI
// document's `webhooks` section is generated from these).
import { z } from 'zod';
import { PHASES, REASONS, RESOLUTIONS } from '../../domain/dispute';
import { FINDING_RULES } from '../../domain/investigation';
import {
  WEBHOOK_EVENT_TYPES,
  WEBHOOK_URL_MAX_LENGTH,
  WEBHOOK_URL_PATTERN,
  webhookUrlProblem,
} from '../../domain/webhooks';
import { documentAs } from '../http/schema-docs';
import { singleLine } from '../http/schemas';
import { DELIVERY_STATUSES } from '../../store/webhooks/deliveries';
import { DELIVERY_ID, EVENT_ID, WEBHOOK_ID } from '../../store/webhooks/ids';

const eventType = z.enum(WEBHOOK_EVENT_TYPES);

export const webhookIdParams = z
  .object({ id: z.string().regex(WEBHOOK_ID, 'a webhook id like whk_…') })
  .strict();
export const deliveryParams = webhookIdParams
  .extend({ deliveryId: z.string().regex(DELIVERY_ID, 'a delivery id like dlv_…') })
  .strict();

export const createWebhookBody = z
  .object({
    url: z
      .string()
      .max(WEBHOOK_URL_MAX_LENGTH)
      .superRefine((url, ctx) => {
        const problem = webhookUrlProblem(url);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .meta({ pattern: WEBHOOK_URL_PATTERN.source })
      .describe('http(s) URL that receives the events; no credentials in it'),
    events: documentAs(
      z
        .array(eventType)
        .min(1)
        .max(WEBHOOK_EVENT_TYPES.length)
        .refine((events) => new Set(events).size === events.length, 'each event type once'),
      { input: (generated) => ({ ...generated, uniqueItems: true }) },
    ).describe('The event types this endpoint receives'),
    description: singleLine(500).optional(),
  })
  .strict();

export const webhookSchema = z.object({
  id: z.string().regex(WEBHOOK_ID),
  url: z.string(),
  events: z.array(eventType),
  description: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.iso.datetime(),
});

export const createdWebhookSchema = webhookSchema.extend({
  secret: z
    .string()
    .regex(/^whsec_[A-Za-z0-9_-]{43}$/)
    .describe(
      'Signs every delivery (Settle-Signature); shown only now, keep it in the receiver’s secrets',
    ),
});

export const webhookListSchema = z.object({ items: z.array(webhookSchema) });

const attemptSchema = z.object({
  number: z.number().int().min(1),
  at: z.iso.datetime(),
  statusCode: z.number().int().nullable().describe('The receiver’s HTTP status, null when none'),
  latencyMs: z.number().int().min(0),
  error: z.string().nullable(),
});

export const deliverySchema = z.object({
  id: z.string().regex(DELIVERY_ID),
  eventId: z.string().regex(EVENT_ID),
  eventType: eventType,
  disputeId: z.string().nullable(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int().min(0),
  nextAttemptAt: z.iso.datetime().nullable(),
  giveUpAt: z.iso
    .datetime()
    .describe('Retries stop here (three days after the event or redeliver)'),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.iso.datetime(),
  deliveredAt: z.iso.datetime().nullable(),
  log: z.array(attemptSchema).describe('Every attempt, oldest first'),
});

export const deliveryListSchema = z.object({
  items: z.array(deliverySchema),
  nextCursor: z.string().nullable(),
});

export const listDeliveriesQuery = z
  .object({
    status: z.enum(DELIVERY_STATUSES).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(/^[1-9][0-9]{0,15}$/, 'a cursor from a previous page')
      .optional(),
  })
  .strict();

export const redeliverBody = z
  .object({
    status: z
      .enum(['failed', 'delivered'])
      .array()
      .min(1)
      .default(['failed'])
      .describe('Which deliveries to queue again; by default the ones given up'),
  })
  .strict();

export const redeliveredSchema = z.object({ queued: z.number().int().min(0) });

// ---- event payloads ---------------------------------------------------------------------------

const money = z.object({
  amount: z.string().regex(/^-?\d+(\.\d+)?$/),
  currency: z.string().regex(/^[A-Z]{3}$/),
});
const ref = {
  disputeId: z.string(),
  customerId: z.string(),
  invoiceId: z.string(),
};

const payloads = {
  'dispute.opened': z.object({
    ...ref,
    reason: z.enum(REASONS),
    claimedAmount: money.nullable(),
    openedAt: z.iso.datetime(),
    openedBy: z.string(),
    internal: z.boolean().describe('An internal review case opened by the proactive scan'),
  }),
  'dispute.phase_changed': z.object({
    ...ref,
    from: z.enum(PHASES),
    to: z.enum(PHASES),
    deadline: z.iso.datetime().nullable(),
    escalationLevel: z.number().int().min(0).max(3),
  }),
  'dispute.closed': z.object({
    ...ref,
    resolution: z.enum(RESOLUTIONS).nullable(),
    rootCause: z.string().nullable(),
    closedAt: z.iso.datetime(),
  }),
  'adjustment.posted': z.object({
    ...ref,
    documents: z.array(
      z.object({
        kind: z.enum([
          'credit_note',
          'refund',
          'debit_note',
          'corrected_invoice',
          'write_off',
          'payment_plan',
        ]),
        documentNumber: z.string(),
        amount: money,
        tax: money,
        issuedAt: z.iso.datetime(),
        invoiceId: z.string(),
        replacementInvoiceId: z.string().optional(),
        settles: z.string().optional().describe('A refund’s credit note'),
        installments: z.array(
          z.object({ number: z.number().int().min(1), dueOn: z.iso.date(), amount: money }),
        ),
      }),
    ),
  }),
  'adjustment.reversed': z.object({
    ...ref,
    documents: z.array(
      z.object({
        documentNumber: z.string(),
        reverses: z.string().describe('The posted document this one mirrors; it stays as it was'),
        reversedKind: z.string(),
        amount: money,
        tax: money,
        issuedAt: z.iso.datetime(),
        invoiceId: z.string(),
      }),
    ),
    reason: z.string(),
    reversedBy: z.string().describe('The manager who reversed it (role:name)'),
  }),
  'invoice.hold_changed': z.object({
    ...ref,
    hold: z
      .object({ amount: money, since: z.iso.datetime() })
      .nullable()
      .describe('What must not be dunned now; null once the hold ended'),
    previous: money.nullable(),
    cause: z.enum(['opened', 'investigated', 'corrected', 'closed', 'reopened']),
  }),
  'monitoring.recurrence_found': z.object({
    ...ref,
    newInvoiceId: z.string(),
    findings: z.array(
      z.object({
        rule: z.enum(FINDING_RULES),
        invoiceId: z.string(),
        lineId: z.string().nullable(),
        expected: z.string().nullable(),
        actual: z.string().nullable(),
        delta: money,
        explanation: z.string(),
      }),
    ),
    totalDelta: money,
  }),
} satisfies Record<(typeof WEBHOOK_EVENT_TYPES)[number], z.ZodType>;

const SUMMARIES: Record<(typeof WEBHOOK_EVENT_TYPES)[number], string> = {
  'dispute.opened': 'A dispute was opened',
  'dispute.phase_changed': 'A dispute entered another phase',
  'dispute.closed': 'A dispute was closed',
  'adjustment.posted': 'Correction documents were posted to the ledger',
  'adjustment.reversed': 'Posted correction documents were reversed by mirror documents',
  'invoice.hold_changed': 'The collection hold on an invoice started, changed or ended',
  'monitoring.recurrence_found': 'Monitoring found the same error on a newly issued invoice',
};

/** Each event type: a summary and the JSON body a receiver gets. */
export function webhookEventSchemas(): { type: string; summary: string; schema: z.ZodType }[] {
  return WEBHOOK_EVENT_TYPES.map((type) => ({
    type,
    summary: SUMMARIES[type],
    schema: z.object({
      id: z.string().regex(EVENT_ID).describe('Stable across redeliveries: deduplicate by it'),
      type: z.literal(type),
      createdAt: z.iso.datetime().describe('When what the event reports was committed'),
      data: payloads[type],
    }),
  }));
}

import { z } from 'zod';
import { HTTP_LINK_PATTERN } from '../../domain/webhooks';
import { PHASES, REASONS, RESOLUTIONS, VERDICTS } from '../../domain/dispute';
import { ACTION_PATHS } from './action-paths';
import { DISPUTE_CURSOR } from '../../store/disputes/list';
import { idSchema, moneySchema, multiLine, positiveMoneySchema, singleLine } from '../http/schemas';

export const contactSchema = z
  .object({
    name: singleLine(200),
    // z.email() admits no CR/LF, so an address cannot inject mail headers.
    email: z.email().max(254),
  })
  .strict();

export const openDisputeBody = z
  .object({
    customerId: idSchema,
    invoiceId: idSchema,
    reason: z.enum(REASONS),
    description: multiLine(5000),
    lineIds: z.array(idSchema).max(1000).optional(),
    claimedAmount: positiveMoneySchema.optional(),
    contact: contactSchema,
    evidence: z
      .array(
        z
          .object({
            name: singleLine(200),
            url: z
              .url({ protocol: /^https?$/ })
              .max(2000)
              .regex(HTTP_LINK_PATTERN, 'an http(s) link of a host name or IPv4 address'),
          })
          .strict(),
      )
      .max(50)
      .optional(),
  })
  .strict();
export type OpenDisputeBody = z.infer<typeof openDisputeBody>;

export const disputeIdParams = z.object({
  id: z.string().regex(/^D-[0-9A-Z]{10}$/, 'a dispute id like D-8K2M4Q7T1B'),
});

export const findingSchema = z.object({
  rule: z.string(),
  invoiceId: z.string(),
  lineId: z.string().nullable(),
  expected: z.string().nullable(),
  actual: z.string().nullable(),
  delta: moneySchema,
  explanation: z.string(),
});

const timelineEvent = z.object({
  at: z.iso.datetime(),
  type: z.string(),
  actor: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});

const adjustment = z.object({
  id: z.string(),
  kind: z.string(),
  documentNumber: z.string(),
  amount: moneySchema,
  tax: moneySchema,
  createdAt: z.iso.datetime(),
  details: z.record(z.string(), z.unknown()),
  /** Payment plans: each installment with its due date and status. */
  installments: z
    .array(
      z.object({
        number: z.number().int(),
        dueAt: z.iso.date(),
        amount: moneySchema,
        status: z.string(),
      }),
    )
    .optional(),
  /** The ledger posting that booked the document, with its entries. */
  posting: z
    .object({
      id: z.string(),
      postedAt: z.iso.datetime(),
      entries: z.array(
        z.object({
          account: z.string(),
          side: z.enum(['debit', 'credit']),
          /** Always positive; `side` says which. */
          amount: moneySchema,
        }),
      ),
    })
    .nullable(),
});

export const disputeSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  customerId: z.string(),
  customerName: z.string(),
  invoiceId: z.string(),
  /** The invoice's currency: every amount of the dispute is in it. */
  currency: z.string(),
  reason: z.enum(REASONS),
  description: z.string(),
  lineIds: z.array(z.string()),
  claimedAmount: moneySchema.nullable(),
  contact: contactSchema,
  evidence: z.array(z.object({ name: z.string(), url: z.string() })),
  phase: z.enum(PHASES),
  resolution: z.enum(RESOLUTIONS).nullable(),
  verdict: z.enum(VERDICTS).nullable(),
  findings: z.array(findingSchema),
  totalDelta: moneySchema.nullable(),
  escalationLevel: z.number().int(),
  assignee: z.string().nullable(),
  deadline: z.iso.datetime().nullable(),
  offer: z.record(z.string(), z.unknown()).nullable(),
  rootCause: z.string().nullable(),
  adjustments: z.array(adjustment),
  openedAt: z.iso.datetime(),
  closedAt: z.iso.datetime().nullable(),
  timeline: z.array(timelineEvent),
  availableActions: z
    .array(z.enum(ACTION_PATHS))
    .describe('The actions (POST /v1/disputes/{id}/<action>) that the current phase allows'),
});
export type DisputeDto = z.infer<typeof disputeSchema>;

/** A query flag: `true` or `false`. */
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const listDisputesQuery = z
  .object({
    phase: z.enum(PHASES).optional(),
    customerId: idSchema.optional(),
    escalationLevel: z.coerce.number().int().min(0).max(3).optional(),
    state: z
      .enum(['open', 'waiting', 'closed'])
      .optional()
      .describe('open: not closed; waiting: in a phase that waits on a person; closed'),
    assignee: singleLine(200).optional().describe('Assigned to exactly this person'),
    unassigned: flag.optional().describe('true: nobody is assigned; false: somebody is'),
    escalated: flag.optional().describe('true: above escalation level 0; false: at level 0'),
    overdue: flag.optional().describe('true: open and past its deadline; false: not'),
    q: singleLine(100)
      .optional()
      .describe('Part of the case number, customer number or name, or invoice number'),
    sort: z
      .enum(['opened', 'deadline'])
      .default('opened')
      .describe('opened: newest first; deadline: soonest deadline first, none last'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z
      .string()
      .regex(DISPUTE_CURSOR, 'a cursor from a previous page')
      .optional()
      .describe('The nextCursor of the previous page (same filters and sort)'),
  })
  .strict();

export const disputeSummarySchema = disputeSchema.omit({
  timeline: true,
  findings: true,
  adjustments: true,
  availableActions: true,
});

export type DisputeSummaryDto = z.infer<typeof disputeSummarySchema>;

export const disputeListSchema = z.object({
  items: z.array(disputeSummarySchema),
  nextCursor: z.string().nullable(),
});

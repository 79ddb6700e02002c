// Bodies of the dispute actions (POST /v1/disputes/{id}/…). Whether an action fits the dispute's
// phase and findings is the workflow's decision (409/422); these check only the shape.
import { z } from 'zod';
import { VERDICTS } from '../../domain/dispute';
import { FINDING_RULES } from '../../domain/investigation/index';
import {
  decisionKindSchema,
  idSchema,
  moneySchema,
  multiLine as text,
  positiveMoneySchema,
  singleLine,
} from '../http/schemas';
import { documentAs } from '../http/schema-docs';

export const assignBody = z.object({ assignee: singleLine(200) }).strict();

export const noteBody = z.object({ text: text(10_000) }).strict();

export const submittedFindingSchema = z
  .object({
    rule: z.enum(FINDING_RULES),
    invoiceId: idSchema,
    lineId: idSchema.nullable().default(null),
    expected: z.string().max(200).nullable().default(null),
    actual: z.string().max(200).nullable().default(null),
    /** Signed: positive when the customer was overcharged. */
    delta: moneySchema,
    explanation: text(2000).optional(),
  })
  .strict();

export const findingsBody = z
  .object({
    findings: z.array(submittedFindingSchema).max(1000),
    verdict: z.enum(VERDICTS),
  })
  .strict();

export const decisionBody = z
  .object({
    resolution: decisionKindSchema,
    amount: positiveMoneySchema.optional(),
    installments: z.number().int().min(1).max(120).optional(),
    explanation: text(5000).optional(),
  })
  .strict();

export const approvalBody = z
  .object({ approved: z.boolean(), comment: text(2000).optional() })
  .strict();

export const customerResponseBody = z
  .object({ accepted: z.boolean(), comment: text(5000).optional() })
  .strict();

export const reasonBody = z.object({ reason: text(2000) }).strict();

export const mediationOutcomeBody = z
  .object({
    agreed: z.boolean(),
    resolution: decisionKindSchema.optional(),
    amount: positiveMoneySchema.optional(),
    installments: z.number().int().min(1).max(120).optional(),
  })
  .strict()
  .refine((b) => !b.agreed || b.resolution !== undefined, {
    message: 'an agreed outcome names its resolution (use "reject" when the claim was dropped)',
    path: ['resolution'],
  });
documentAs(mediationOutcomeBody, {
  input: (generated) => ({
    ...generated,
    description: 'An agreed outcome names its resolution (`reject` when the claim was dropped)',
    anyOf: [{ properties: { agreed: { const: false } } }, { required: ['resolution'] }],
  }),
});

export const reverseBody = z
  .object({
    /** Any document of the correction to reverse, e.g. CN-000012. */
    documentNumber: singleLine(40),
    reason: text(2000),
  })
  .strict();

// What customers and imported records put into email cannot reach a header or run as markup:
// intake refuses contacts that could inject headers, and every value is escaped in the HTML.
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import { escapeHtml } from '../../email/html';
import type { QueueEmailRequest } from '../../activities/email';
import { audienceOf, EMAIL_KINDS, type EmailFinding } from '../../domain/notifications';
import { emailFixtures, messageOf } from '../support/email-fixtures';
import { DATABASE_KINDS } from '../support/database';
import { startStack, type Stack } from '../support/stack';
import { startDevServerEnv, waitFor } from '../support/temporal';
import { sampleBundle } from '../support/sample-data';

interface Bundle {
  customers: { id: string; name: string }[];
  invoices: { id: string; lines: { id: string }[] }[];
}
const sample = sampleBundle() as Bundle;

// Free text the import accepts: a company name, and a line id (ids only forbid surrounding spaces).
const HOSTILE_NAME = 'Contoso <script>alert("name")</script> & "Labs"';
const HOSTILE_LINE = 'INV-2001-<i>1</i>';

function hostileBundle(): Bundle {
  const bundle = structuredClone(sample);
  const customer = bundle.customers.find((c) => c.id === 'C-200')!;
  customer.name = HOSTILE_NAME;
  const line = bundle.invoices
    .find((i) => i.id === 'INV-2001')!
    .lines.find((l) => l.id === 'INV-2001-1')!;
  line.id = HOSTILE_LINE;
  return bundle;
}

const validBody = {
  customerId: 'C-200',
  invoiceId: 'INV-2001',
  reason: 'pricing_error',
  description: 'Unit price is above our contract',
  contact: { name: 'Dana Lee', email: 'dana@example.com' },
};

/** One open dispute per invoice: each case withdraws the one before it opens its own. */
async function openOnInvoice(
  stack: Stack,
  body: typeof validBody & Record<string, unknown>,
): ReturnType<Stack['call']> {
  const open = await stack.database.db.dispute.findFirst({
    where: { invoiceId: body.invoiceId, openKey: { not: null } },
  });
  if (open)
    await stack.call('POST', `/v1/disputes/${open.id}/withdraw`, {
      role: 'agent',
      body: { reason: 'the next case opens its own' },
    });
  return stack.call('POST', '/v1/disputes', { role: 'agent', body });
}

const longAddress = `${'d'.repeat(64)}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.example`;
const REJECTED = [
  [
    'CR/LF and Bcc in the name',
    { name: 'Dana Lee\r\nBcc: spy@evil.example', email: 'dana@example.com' },
    'name',
  ],
  [
    'LF and Bcc in the name',
    { name: 'Dana\nBcc: spy@evil.example', email: 'dana@example.com' },
    'name',
  ],
  ['a bare CR in the name', { name: 'Dana\rLee', email: 'dana@example.com' }, 'name'],
  [
    'CR/LF and Bcc in the email',
    { name: 'Dana Lee', email: 'dana@example.com\r\nBcc: spy@evil.example' },
    'email',
  ],
  [
    'LF and a header in the email',
    { name: 'Dana Lee', email: 'dana@example.com\nX-Injected: 1' },
    'email',
  ],
  [
    'two addresses in the email',
    { name: 'Dana Lee', email: 'dana@example.com,spy@evil.example' },
    'email',
  ],
  ['a display name in the email', { name: 'Dana Lee', email: 'Dana <dana@example.com>' }, 'email'],
  ['a name of 201 characters', { name: 'D'.repeat(201), email: 'dana@example.com' }, 'name'],
  [
    `an email of ${longAddress.length} characters`,
    { name: 'Dana Lee', email: longAddress },
    'email',
  ],
] as const;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServerEnv();
});
afterAll(async () => {
  await env?.teardown();
});

describe.each(DATABASE_KINDS)('intake validation and HTML escaping on %s', (kind) => {
  let stack: Stack;
  let mailer: Transporter;
  beforeAll(async () => {
    stack = await startStack(env, kind);
    mailer = nodemailer.createTransport(stack.catcher.smtpUrl);
    const imported = await stack.call('POST', '/v1/import', {
      role: 'operations',
      body: hostileBundle(),
    });
    expect(imported.status).toBe(200);
  });
  afterAll(async () => {
    mailer?.close();
    await stack?.stop();
  });

  it.each(REJECTED)(
    'rejects a contact with %s: 400 with the API error body',
    async (_what, contact, field) => {
      const response = await stack.call('POST', '/v1/disputes', {
        role: 'agent',
        body: { ...validBody, contact },
      });
      expect(response.status).toBe(400);
      expect(Object.keys(response.body)).toEqual(['error']);
      expect(response.body.error).toEqual({
        code: 'validation_error',
        message: expect.any(String),
        details: expect.arrayContaining([
          { path: `$.contact.${field}`, message: expect.any(String) },
        ]),
      });
    },
  );

  it('opened no dispute and sent nothing for the rejected contacts', async () => {
    expect(await stack.database.db.dispute.count()).toBe(0);
    expect(stack.catcher.messages()).toHaveLength(0);
  });

  it('accepts the longest name and address intake allows', async () => {
    const name = `${'N'.repeat(199)}Z`;
    const email = `${'d'.repeat(64)}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(53)}.example`;
    expect(email).toHaveLength(254);
    const response = await openOnInvoice(stack, {
      ...validBody,
      reason: 'other',
      contact: { name, email },
    });
    expect(response.status).toBe(201);
    expect(response.body.contact).toEqual({ name, email });
    // The catcher, like many SMTP servers, takes paths up to 253 characters: the outbox records
    // the rejection instead of retrying it for days.
    const id: string = response.body.id;
    const row = await waitFor(
      async () => {
        const found = await stack.database.db.outboxMessage.findFirst({ where: { disputeId: id } });
        return found?.status === 'failed' ? found : false;
      },
      { what: 'the rejected acknowledgement', timeoutMs: 30_000, intervalMs: 100 },
    );
    expect(JSON.parse(row.toAddress)).toEqual({ name, email });
    expect(row.lastError).toMatch(/^EENVELOPE 501/);
  });

  it('delivers to a 200-character name without breaking the To header', async () => {
    const name = `Dana ${'L'.repeat(190)} Lee.`;
    expect(name).toHaveLength(200);
    const response = await openOnInvoice(stack, {
      ...validBody,
      reason: 'tax_error',
      contact: { name, email: 'dana@example.com' },
    });
    expect(response.status).toBe(201);
    const mail = await stack.catcher.waitFor((m) => m.subject.includes(response.body.id), {
      timeoutMs: 30_000,
    });
    expect(mail.to).toEqual(['dana@example.com']);
    expect(mail.envelope.to).toEqual(['dana@example.com']);
    expect(mail.headers.to).toContain(name);
    expect(mail.text).toContain(`Hello ${name},`);
  });

  it('escapes what the customer typed in the acknowledgement that arrives', async () => {
    const contact = { name: 'Dana <b>Lee</b> & "Co"', email: 'dana@example.com' };
    const description = `Price > contract & <img src=x onerror=alert(1)> 'quoted'`;
    const response = await openOnInvoice(stack, { ...validBody, description, contact });
    expect(response.status).toBe(201);
    const mail = await stack.catcher.waitFor((m) => m.subject.includes(response.body.id), {
      timeoutMs: 30_000,
    });
    const html = mail.html ?? '';
    expect(html).toContain(escapeHtml(contact.name));
    expect(html).toContain(escapeHtml(description));
    expect(html).not.toContain('<b>Lee');
    expect(html).not.toMatch(/<img/i);
    // The plain-text body shows the words as typed.
    expect(mail.text).toContain(contact.name);
    expect(mail.text).toContain(description);
  });

  it('escapes imported names and ids in the HTML of every message that carries them', async () => {
    const { db } = stack.database;
    const opened = await openOnInvoice(stack, { ...validBody, reason: 'discount_not_applied' });
    expect(opened.status).toBe(201);
    const id: string = opened.body.id;
    // The investigation runs on the imported records, so its findings carry the imported line id.
    const dispute = await waitFor(
      async () => {
        const got = await stack.call('GET', `/v1/disputes/${id}`, { role: 'auditor' });
        return got.body.verdict !== null && got.body;
      },
      { what: 'the investigation', timeoutMs: 30_000, intervalMs: 100 },
    );
    const findings: EmailFinding[] = dispute.findings.map((f: EmailFinding) => ({
      rule: f.rule,
      invoiceId: f.invoiceId,
      lineId: f.lineId,
      expected: f.expected,
      actual: f.actual,
      delta: f.delta,
    }));
    expect(findings.map((f) => f.lineId)).toContain(HOSTILE_LINE);
    const customer = await db.customer.findUniqueOrThrow({ where: { id: 'C-200' } });
    expect(customer.name).toBe(HOSTILE_NAME);

    const fixtures = emailFixtures({
      caseNumber: id,
      invoiceNumber: 'INV-2001',
      contact: { name: dispute.contact.name, email: dispute.contact.email },
      staff: { name: 'Billing agents', email: 'agents@settle.test' },
      customerName: customer.name,
    });
    const activities = createActivities({
      db,
      mailer,
      clock: () => new Date(),
      mail: { from: 'Settle <disputes@settle.test>', domain: 'settle.test' },
    });
    // The SDK's activity context, which `log` and `activityInfo` need.
    const inActivity = (): MockActivityEnvironment =>
      new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') });
    const queue = (request: QueueEmailRequest): Promise<string> =>
      inActivity().run((r: QueueEmailRequest) => activities.queueEmail(r), request);
    const deliver = (messageId: string): Promise<void> =>
      inActivity().run((id: string) => activities.deliverEmail(id), messageId);

    const messages = [
      messageOf('findings', {
        ...fixtures.findings,
        verdict: 'overcharged',
        findings,
        totalDelta: dispute.totalDelta,
      }),
      messageOf('recurrence_found', { ...fixtures.recurrence_found, findings }),
      ...EMAIL_KINDS.filter((k) => audienceOf(k) === 'staff' && k !== 'recurrence_found').map((k) =>
        messageOf(k, fixtures[k]),
      ),
    ];
    for (const message of messages) {
      const to =
        audienceOf(message.kind) === 'staff'
          ? { name: 'Billing agents', email: 'agents@settle.test' }
          : dispute.contact;
      const step = `escaping.${message.kind}`;
      const messageId = await queue({ disputeId: id, step, to, locale: 'en', message });
      await deliver(messageId);
      const [mail] = stack.catcher.messages().filter((m) => m.messageId === messageId);
      const html = mail?.html ?? '';
      expect(html, message.kind).not.toMatch(/<script|<i>/i);
      if (message.kind === 'findings' || message.kind === 'recurrence_found') {
        expect(html, message.kind).toContain(escapeHtml(HOSTILE_LINE));
        expect(mail!.text, message.kind).toContain(HOSTILE_LINE);
      }
      if (audienceOf(message.kind) === 'staff') {
        expect(html, message.kind).toContain(escapeHtml(HOSTILE_NAME));
        expect(mail!.text, message.kind).toContain(HOSTILE_NAME);
      }
    }
  });
});

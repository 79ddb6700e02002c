// The email outbox against a real database and a real SMTP server on loopback: every message kind
// is queued, delivered and read back as it arrived. Activities run in the SDK's activity context
// (MockActivityEnvironment) because `log` and `activityInfo` need one.
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities } from '../../activities';
import {
  DELIVERY_IN_PROGRESS,
  EMAIL_REJECTED,
  INVALID_EMAIL,
  INVALID_RECIPIENT,
  type QueueEmailRequest,
} from '../../activities/email';
import { renderEmail } from '../../email/render';
import { LOCALES, type EmailMessage, type Locale } from '../../domain/notifications';
import { importBundle } from '../../store/billing/import';
import type { Contact } from '../../domain/dispute';
import { startMailCatcher, type CaughtMessage, type MailCatcher } from '../../scripts/mail-catcher';
import { catalogue, emailFixtures, messageOf, type FixtureCase } from '../support/email-fixtures';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import { sampleBundle } from '../support/sample-data';

const bundle: unknown = sampleBundle();

const DOMAIN = 'settle.test';
const CASE: FixtureCase = {
  caseNumber: 'D-0UTB0X0001',
  invoiceNumber: 'INV-1001',
  contact: { name: 'Dana Lee', email: 'dana@example.com' },
  staff: { name: 'Billing agents', email: 'agents@settle.test' },
  customerName: 'Northwind Networks',
};
const ROOT = `<dispute-${CASE.caseNumber}@${DOMAIN}>`;

const logger = new DefaultLogger('ERROR');
/** The SDK's activity context; `attempt` is what Temporal would report for a retry. */
const activity = (attempt = 1): MockActivityEnvironment =>
  new MockActivityEnvironment({ attempt }, { logger });

/** CRLF to LF and no trailing newline: what MIME transport may change in a body. */
const normalized = (body: string | null): string => (body ?? '').replace(/\r\n/g, '\n').trimEnd();

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe.each(DATABASE_KINDS)('email outbox on %s', (kind) => {
  let database: TestDatabase;
  let catcher: MailCatcher;
  let mailer: Transporter;
  let activities: ReturnType<typeof createActivities>;

  const queue = (request: QueueEmailRequest, attempt = 1): Promise<string> =>
    activity(attempt).run((r: QueueEmailRequest) => activities.queueEmail(r), request);
  const deliver = (messageId: string, attempt = 1): Promise<void> =>
    activity(attempt).run((id: string) => activities.deliverEmail(id), messageId);
  const arrived = (messageId: string): CaughtMessage[] =>
    catcher.messages().filter((m) => m.messageId === messageId);
  const request = (
    step: string,
    message: EmailMessage,
    to: Contact,
    locale: Locale = 'en',
  ): QueueEmailRequest => ({
    disputeId: CASE.caseNumber,
    step,
    to,
    locale,
    message,
  });
  const ack = emailFixtures(CASE).acknowledgement;

  beforeAll(async () => {
    [database, catcher] = await Promise.all([
      createTestDatabase(kind),
      startMailCatcher({ smtpPort: 0, httpPort: 0 }),
    ]);
    await importBundle(database.db, bundle);
    await database.db.dispute.create({
      data: {
        id: CASE.caseNumber,
        workflowId: `dispute-${CASE.caseNumber}`,
        customerId: 'C-100',
        invoiceId: CASE.invoiceNumber,
        reason: 'pricing_error',
        description: 'Unit price of the switches is above our contract',
        currency: 'USD',
        contactName: CASE.contact.name,
        contactEmail: CASE.contact.email,
        phase: 'acknowledging',
        openedBy: 'agent:dev-agent',
        openedAt: new Date('2026-03-02T09:15:00Z'),
      },
    });
    mailer = nodemailer.createTransport(catcher.smtpUrl);
    activities = createActivities({
      db: database.db,
      mailer,
      clock: () => new Date(),
      mail: { from: 'Settle <disputes@settle.test>', domain: DOMAIN },
    });
  });
  afterAll(async () => {
    mailer?.close();
    await catcher?.stop();
    await database?.drop();
  });

  const EVERY = LOCALES.flatMap((locale) =>
    catalogue(CASE).map(({ message, to }) => ({ kind: message.kind, locale, message, to })),
  );

  it.each(EVERY)(
    'delivers $kind ($locale) with recipients, subject, both bodies and thread headers',
    async ({ message, to, locale }) => {
      const step = `${message.kind}.${locale}`;
      const id = await queue(request(step, message, to, locale));
      expect(id).toBe(`<dispute-${CASE.caseNumber}.${step}@${DOMAIN}>`);
      await deliver(id);

      const [mail, ...more] = arrived(id);
      expect(more).toHaveLength(0);
      const expected = renderEmail(message, locale);
      expect(mail!.to).toEqual([to.email]);
      expect(mail!.envelope.to).toEqual([to.email]);
      expect(mail!.headers.to).toContain(to.name);
      expect(mail!.cc).toEqual([]);
      expect(mail!.from).toBe('disputes@settle.test');
      expect(mail!.subject).toBe(expected.subject);
      expect(mail!.subject).toContain(`[Settle ${CASE.caseNumber}]`);
      expect(normalized(mail!.text)).toBe(normalized(expected.text));
      expect(normalized(mail!.html)).toBe(normalized(expected.html));
      expect(mail!.headers['content-type']).toMatch(/^multipart\/alternative/);
      expect(mail!.messageId).toBe(id);
      expect(mail!.inReplyTo).toBe(ROOT);
      expect(mail!.references).toEqual([ROOT]);

      const row = await database.db.outboxMessage.findUniqueOrThrow({ where: { id } });
      expect(row).toMatchObject({
        status: 'sent',
        attempts: 1,
        lastError: null,
        kind: message.kind,
      });
      expect(row.sentAt).toBeInstanceOf(Date);
      const events = await database.db.disputeEvent.findMany({
        where: { key: { in: [`email:${id}`, `sent:${id}`] } },
        orderBy: { id: 'asc' },
      });
      expect(events.map((e) => e.type)).toEqual(['email_queued', 'email_sent']);
    },
  );

  it('threads every message of the dispute under one root', () => {
    const ours = catcher.messages().filter((m) => m.subject.includes(CASE.caseNumber));
    expect(ours.length).toBe(EVERY.length);
    expect(new Set(ours.map((m) => m.messageId)).size).toBe(EVERY.length);
    expect(new Set(ours.map((m) => m.references.join(' ')))).toEqual(new Set([ROOT]));
  });

  it('sends once when deliverEmail runs twice, one after the other or side by side', async () => {
    const first = await queue(
      request('twice.sequential', messageOf('acknowledgement', ack), CASE.contact),
    );
    await deliver(first);
    await deliver(first);
    await deliver(first, 2);
    expect(arrived(first)).toHaveLength(1);

    const second = await queue(
      request('twice.parallel', messageOf('acknowledgement', ack), CASE.contact),
    );
    const results = await Promise.allSettled([deliver(second), deliver(second)]);
    expect(arrived(second)).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect(result.reason).toBeInstanceOf(ApplicationFailure);
      expect(result.reason).toMatchObject({ type: DELIVERY_IN_PROGRESS, nonRetryable: false });
    }
    await deliver(second);
    expect(arrived(second)).toHaveLength(1);
    const row = await database.db.outboxMessage.findUniqueOrThrow({ where: { id: second } });
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('writes one row and one timeline event when queueEmail runs twice, also side by side', async () => {
    const message = messageOf('acknowledgement', ack);
    const id = await queue(request('queued.twice', message, CASE.contact));
    expect(await queue(request('queued.twice', message, CASE.contact), 2)).toBe(id);
    // The first row wins: a retry with different content does not rewrite what the timeline shows.
    const changed = messageOf('acknowledgement', { ...ack, description: 'changed' });
    expect(await queue(request('queued.twice', changed, CASE.contact, 'fr'))).toBe(id);

    const raced = await Promise.all(
      [1, 2, 3].map(() => queue(request('queued.raced', message, CASE.contact))),
    );
    expect(new Set(raced).size).toBe(1);

    for (const messageId of [id, raced[0]!]) {
      expect(await database.db.outboxMessage.count({ where: { id: messageId } })).toBe(1);
      expect(await database.db.disputeEvent.count({ where: { key: `email:${messageId}` } })).toBe(
        1,
      );
    }
    const row = await database.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row.subject).toBe(renderEmail(message, 'en').subject);
    expect(row.text).not.toContain('changed');
  });

  it('keeps the message pending with attempts and lastError while SMTP is down, then sends it once', async () => {
    const id = await queue(request('outage', messageOf('acknowledgement', ack), CASE.contact));
    await catcher.pause({ graceMs: 0 });
    try {
      const error = await rejection(deliver(id));
      expect(error).toBeInstanceOf(Error);
      expect(error).not.toBeInstanceOf(ApplicationFailure);
      await rejection(deliver(id, 2));
    } finally {
      await catcher.resume();
    }
    const failed = await database.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(failed).toMatchObject({ status: 'pending', attempts: 2, sentAt: null });
    expect(failed.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);

    await deliver(id, 3);
    await deliver(id, 4);
    expect(arrived(id)).toHaveLength(1);
    const sent = await database.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(sent).toMatchObject({ status: 'sent', attempts: 3, lastError: failed.lastError });
    const event = await database.db.disputeEvent.findUniqueOrThrow({
      where: { key: `sent:${id}` },
    });
    expect(JSON.parse(event.data)).toMatchObject({ messageId: id, attempts: 3 });
  });

  it('gives a message up, for good, when the server rejects its recipient', async () => {
    // Within what the API and the outbox accept (254 characters), beyond the server's path limit.
    const email = `${'d'.repeat(64)}@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(53)}.example`;
    expect(email).toHaveLength(254);
    const message = messageOf('acknowledgement', ack);
    const id = await queue(request('rejected', message, { name: 'Dana Lee', email }));

    const error = await rejection(deliver(id));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: EMAIL_REJECTED, nonRetryable: true });
    expect((error as Error).cause).toMatchObject({ code: 'EENVELOPE', responseCode: 501 });
    const row = await database.db.outboxMessage.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ status: 'failed', attempts: 1, sentAt: null });
    expect(row.lastError).toMatch(/^EENVELOPE 501: /);
    const event = await database.db.disputeEvent.findUniqueOrThrow({
      where: { key: `failed:${id}` },
    });
    expect(event.type).toBe('email_failed');
    expect(JSON.parse(event.data)).toMatchObject({ messageId: id, to: email, attempts: 1 });

    // A later call does not knock on the server again.
    expect(await rejection(deliver(id, 2))).toMatchObject({
      type: EMAIL_REJECTED,
      nonRetryable: true,
    });
    expect((await database.db.outboxMessage.findUniqueOrThrow({ where: { id } })).attempts).toBe(1);
    expect(arrived(id)).toHaveLength(0);
  });

  it('leaves a message held by a running attempt alone; a Temporal retry takes over after a crash', async () => {
    const id = await queue(request('crashed', messageOf('acknowledgement', ack), CASE.contact));
    // What a worker that died between claiming and sending leaves behind.
    await database.db.outboxMessage.update({
      where: { id },
      data: { status: 'sending', attempts: 1 },
    });

    const error = await rejection(deliver(id));
    expect(error).toMatchObject({ type: DELIVERY_IN_PROGRESS, nonRetryable: false });
    expect(arrived(id)).toHaveLength(0);

    await deliver(id, 2);
    expect(arrived(id)).toHaveLength(1);
    expect(await database.db.outboxMessage.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: 'sent',
      attempts: 2,
    });
  });

  it('renders deadlines in the time zone asked for', async () => {
    const message = messageOf('acknowledgement', ack);
    const id = await queue({
      ...request('paris', message, CASE.contact, 'fr'),
      timeZone: 'Europe/Paris',
    });
    await deliver(id);
    const [mail] = arrived(id);
    const paris = renderEmail(message, 'fr', { timeZone: 'Europe/Paris' });
    expect(normalized(mail!.text)).toBe(normalized(paris.text));
    expect(paris.text).toContain('18:00');
    expect(paris.text).not.toBe(renderEmail(message, 'fr').text);
  });

  it.each([
    [
      'a line break and Bcc in the name',
      { name: 'Dana\r\nBcc: x@y.example', email: 'dana@example.com' },
    ],
    [
      'a line break and Bcc in the address',
      { name: 'Dana', email: 'dana@example.com\r\nBcc: x@y.example' },
    ],
    ['two addresses', { name: 'Dana', email: 'dana@example.com, x@y.example' }],
    ['an angle-bracketed address', { name: 'Dana', email: 'x@y.example>, <dana@example.com' }],
    ['a name over 200 characters', { name: 'D'.repeat(201), email: 'dana@example.com' }],
    [
      'an address over 254 characters',
      { name: 'Dana', email: `${'d'.repeat(64)}@${'e'.repeat(190)}.example` },
    ],
  ])('refuses a recipient with %s, permanently, and writes nothing', async (_what, to) => {
    const step = `refused.${Math.random().toString(36).slice(2)}`;
    const error = await rejection(queue(request(step, messageOf('acknowledgement', ack), to)));
    expect(error).toBeInstanceOf(ApplicationFailure);
    expect(error).toMatchObject({ type: INVALID_RECIPIENT, nonRetryable: true });
    const id = `<dispute-${CASE.caseNumber}.${step}@${DOMAIN}>`;
    expect(await database.db.outboxMessage.count({ where: { id } })).toBe(0);
  });

  it('fails permanently, keeping the cause, on a message it cannot render or thread', async () => {
    const badZone = await rejection(
      queue({
        ...request('bad-zone', messageOf('acknowledgement', ack), CASE.contact),
        timeZone: 'Mars/Olympus',
      }),
    );
    expect(badZone).toMatchObject({ type: INVALID_EMAIL, nonRetryable: true });
    expect((badZone as Error).cause).toBeInstanceOf(RangeError);

    const badAmount = messageOf('acknowledgement', {
      ...ack,
      claimedAmount: { amount: '4OO', currency: 'USD' },
    });
    expect(await rejection(queue(request('bad-amount', badAmount, CASE.contact)))).toMatchObject({
      type: INVALID_EMAIL,
      nonRetryable: true,
    });
    expect(
      await rejection(queue(request('bad step', messageOf('acknowledgement', ack), CASE.contact))),
    ).toMatchObject({
      type: INVALID_EMAIL,
      nonRetryable: true,
    });
    expect(await database.db.outboxMessage.count({ where: { id: { contains: 'bad' } } })).toBe(0);
  });
});

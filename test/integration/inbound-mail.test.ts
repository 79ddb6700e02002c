// Customers' replies over real SMTP on loopback: matched by In-Reply-To/References, then the subject
// tag; stored once when delivered twice; flagged from a stranger; kept for review when unmatched;
// and the assignee's notification goes out through the outbox relay to a real SMTP server.
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../domain/policy';
import { startMailCatcher, type MailCatcher } from '../../scripts/mail-catcher';
import { importBundle } from '../../store/billing/import';
import { customerMessageNotice } from '../../email/customer-message-notice';
import { fileCustomerMessage } from '../../store/customer-messages/record';
import { startInboundMail, type InboundMail } from '../../workers/inbound-mail';
import { jsonLog } from '../../workers/json-log';
import { startOutboxRelay } from '../../workers/outbox-relay';
import { createTestDatabase, DATABASE_KINDS, type TestDatabase } from '../support/database';
import { sampleBundle } from '../support/sample-data';
import { waitFor } from '../support/temporal';

const DOMAIN = 'settle.test';
const DISPUTE = 'D-REPLY00001';
const OTHER = 'D-REPLY00002';

describe.each(DATABASE_KINDS)('inbound replies on %s', (kind) => {
  let database: TestDatabase;
  let catcher: MailCatcher;
  let inbound: InboundMail;
  let toSettle: Transporter;
  let relayMailer: Transporter;
  let relay: { stop(): Promise<void> };

  const send = (mail: nodemailer.SendMailOptions): Promise<unknown> =>
    toSettle.sendMail({ to: 'disputes@settle.test', ...mail });
  const messagesOf = (disputeId: string | null) =>
    database.db.customerMessage.findMany({ where: { disputeId }, orderBy: { receivedAt: 'asc' } });

  beforeAll(async () => {
    [database, catcher] = await Promise.all([
      createTestDatabase(kind),
      startMailCatcher({ smtpPort: 0, httpPort: 0 }),
    ]);
    await importBundle(database.db, sampleBundle());
    for (const [id, invoiceId] of [
      [DISPUTE, 'INV-1001'],
      [OTHER, 'INV-1002'],
    ] as const) {
      await database.db.dispute.create({
        data: {
          id,
          workflowId: `dispute-${id}`,
          customerId: 'C-100',
          invoiceId,
          reason: 'pricing_error',
          description: 'Switches above contract',
          currency: 'USD',
          contactName: 'Dana Lee',
          contactEmail: 'dana@northwind.example',
          phase: 'awaiting_customer',
          assignee: 'agent-7',
          openedBy: 'agent:dev-agent',
          openedAt: new Date('2026-03-02T09:15:00Z'),
        },
      });
    }
    const log = jsonLog('test', 'silent');
    inbound = await startInboundMail({
      db: database.db,
      host: '127.0.0.1',
      port: 0,
      mailDomain: DOMAIN,
      contacts: DEFAULT_POLICY.contacts,
      log,
    });
    toSettle = nodemailer.createTransport({ host: '127.0.0.1', port: inbound.port, secure: false });
    relayMailer = nodemailer.createTransport(catcher.smtpUrl);
    relay = startOutboxRelay({
      db: database.db,
      mailer: relayMailer,
      from: 'Settle <disputes@settle.test>',
      log,
      pollMs: 50,
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await inbound?.stop();
    toSettle?.close();
    relayMailer?.close();
    await catcher?.stop();
    await database?.drop();
  });

  it('lands a reply to the offer on its dispute exactly once, even when delivered twice', async () => {
    const reply = {
      from: 'Dana Lee <dana@northwind.example>',
      subject: `Re: [Settle ${DISPUTE}] Our proposal to settle your dispute`,
      messageId: '<reply-1@northwind.example>',
      inReplyTo: `<dispute-${DISPUTE}.offer.4@${DOMAIN}>`,
      references: [`<dispute-${DISPUTE}@${DOMAIN}>`, `<dispute-${DISPUTE}.offer.4@${DOMAIN}>`],
      text: 'We accept the credit note.\n\n> earlier text',
      html: '<p onclick="steal()">We <b>accept</b>.</p><script>alert(1)</script><img src="https://track.example/p.gif"><a href="javascript:alert(1)">x</a>',
      attachments: [{ filename: 'po-4411.pdf', content: Buffer.alloc(2048, 1) }],
    };
    await send(reply);
    await send(reply);

    const stored = await messagesOf(DISPUTE);
    expect(stored).toHaveLength(1);
    const [message] = stored;
    expect(message).toMatchObject({
      channel: 'email',
      matchedBy: 'in_reply_to',
      fromAddress: 'dana@northwind.example',
      fromName: 'Dana Lee',
      flagged: false,
    });
    expect(message!.text).toContain('We accept the credit note.');
    expect(message!.html).toContain('<b>accept</b>');
    for (const bad of ['script', 'onclick', 'img', 'javascript:', 'track.example'])
      expect(message!.html).not.toContain(bad);
    expect(JSON.parse(message!.attachments)).toEqual([
      { name: 'po-4411.pdf', size: 2048, contentType: 'application/pdf' },
    ]);

    const events = await database.db.disputeEvent.findMany({
      where: { disputeId: DISPUTE, type: 'customer_message' },
    });
    expect(events).toHaveLength(1);
    expect(events[0]!.actor).toBe('customer:dana@northwind.example');

    const notice = await catcher.waitFor(
      (m) => m.subject.includes(DISPUTE) && m.subject.includes('New message'),
      { timeoutMs: 15_000 },
    );
    expect(notice.to).toEqual([DEFAULT_POLICY.contacts[0]!.email]);
    expect(notice.text).toContain('Hello agent-7,');
    expect(notice.text).toContain('po-4411.pdf');
    await waitFor(
      async () =>
        (await database.db.disputeEvent.count({
          where: { disputeId: DISPUTE, type: 'email_sent' },
        })) === 1,
      { what: 'the notification marked sent', timeoutMs: 10_000 },
    );
    expect(catcher.messages().filter((m) => m.messageId === notice.messageId)).toHaveLength(1);
  });

  it('matches by References, then by the subject tag', async () => {
    await send({
      from: 'dana@northwind.example',
      subject: 'Question',
      messageId: '<reply-2@northwind.example>',
      references: [`<dispute-${OTHER}.findings.2@${DOMAIN}>`],
      text: 'See attached',
    });
    await send({
      from: 'dana@northwind.example',
      subject: `Fwd: [Settle ${OTHER}] findings`,
      messageId: '<reply-3@northwind.example>',
      text: 'Forwarded',
    });
    const other = await messagesOf(OTHER);
    expect(other.map((m) => m.matchedBy)).toEqual(['references', 'subject']);
  });

  it('keeps but flags a reply from an address outside the customer', async () => {
    await send({
      from: 'someone@elsewhere.example',
      subject: `Re: [Settle ${DISPUTE}] proposal`,
      messageId: '<stranger@elsewhere.example>',
      text: 'I accept on behalf of Northwind',
    });
    const [flagged] = await database.db.customerMessage.findMany({
      where: { dedupKey: 'message-id:<stranger@elsewhere.example>' },
    });
    expect(flagged).toMatchObject({ disputeId: DISPUTE, flagged: true });
  });

  it('keeps unmatched mail for review, never drops it; a foreign Message-ID does not match', async () => {
    await send({
      from: 'ap@unknown.example',
      subject: 'Invoice question [Settle D-NOSUCHCASE]',
      messageId: '<lost@unknown.example>',
      inReplyTo: '<dispute-D-REPLY00001.offer.4@not-our-domain.example>',
      text: 'Which case is this?',
    });
    const unmatched = await messagesOf(null);
    expect(unmatched.map((m) => m.subject)).toContain('Invoice question [Settle D-NOSUCHCASE]');
    expect(unmatched.find((m) => m.fromAddress === 'ap@unknown.example')?.matchedBy).toBeNull();
  });

  it('lets a person file an unmatched message under its dispute, once', async () => {
    const [lost] = await database.db.customerMessage.findMany({
      where: { dedupKey: 'message-id:<lost@unknown.example>' },
    });
    const notify = (facts: any) => customerMessageNotice(facts, DEFAULT_POLICY.contacts, DOMAIN);
    expect(
      await fileCustomerMessage(database.db, lost!.id, 'D-0000000000', notify, new Date()),
    ).toBe('no_dispute');
    expect(await fileCustomerMessage(database.db, lost!.id, OTHER, notify, new Date())).toBe(
      'filed',
    );
    expect(await fileCustomerMessage(database.db, lost!.id, DISPUTE, notify, new Date())).toBe(
      'already_filed',
    );
    const filed = await database.db.customerMessage.findUniqueOrThrow({ where: { id: lost!.id } });
    expect(filed).toMatchObject({ disputeId: OTHER, matchedBy: 'manual' });
    expect(await database.db.disputeEvent.count({ where: { key: `message:${lost!.id}` } })).toBe(1);
  });
});

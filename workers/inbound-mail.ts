// Inbound SMTP for customers' replies: the mail relay forwards Settle's incoming mail here. Each
// message is parsed, matched to its dispute and recorded before the server answers 250, so a
// message the relay saw accepted is stored; a redelivered one is recognised and accepted again.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { Contact } from '../domain/dispute';
import { customerMessageNotice } from '../email/customer-message-notice';
import { isUnexpectedSender, matchCandidates } from '../email/inbound';
import { sanitizeCustomerHtml } from '../email/sanitize';
import { contentKey, recordCustomerMessage } from '../store/customer-messages/record';
import type { Db } from '../store/db';
import type { DispatcherLog } from './webhook-dispatcher';

const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;
const MAX_TEXT_CHARS = 100_000;

export interface InboundMailOptions {
  db: Db;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Domain of Settle's Message-IDs (MAIL_DOMAIN): replies refer to them. */
  mailDomain: string;
  /** Staff contacts by escalation level, for the assignee's notification. */
  contacts: readonly Contact[];
  log: DispatcherLog;
  clock?: () => Date;
}

export interface InboundMail {
  port: number;
  stop(): Promise<void>;
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): {
  address: string;
  name: string | null;
} | null {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  for (const object of objects)
    for (const entry of object.value)
      if (entry.address) return { address: entry.address, name: entry.name || null };
  return null;
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () =>
      stream.sizeExceeded
        ? reject(Object.assign(new Error('Message too large'), { responseCode: 552 }))
        : resolve(Buffer.concat(chunks)),
    );
  });
}

export async function startInboundMail(options: InboundMailOptions): Promise<InboundMail> {
  const { db, log } = options;
  const clock = options.clock ?? ((): Date => new Date());

  async function receive(raw: Buffer, envelopeFrom: string | null): Promise<void> {
    const mail = await simpleParser(raw);
    const sender = firstAddress(mail.from) ?? {
      address: envelopeFrom ?? 'unknown@invalid',
      name: null,
    };
    const references = mail.references ?? [];
    const outcome = await recordCustomerMessage(
      db,
      {
        dedupKey: mail.messageId ? `message-id:${mail.messageId}` : contentKey(raw),
        channel: 'email',
        candidates: matchCandidates(
          {
            inReplyTo: mail.inReplyTo ?? null,
            references: Array.isArray(references) ? references : [references],
            subject: mail.subject ?? '',
          },
          options.mailDomain,
        ),
        fromAddress: sender.address,
        fromName: sender.name,
        subject: (mail.subject ?? '').slice(0, 998),
        text: (mail.text ?? '').slice(0, MAX_TEXT_CHARS),
        html: typeof mail.html === 'string' ? sanitizeCustomerHtml(mail.html) : null,
        attachments: mail.attachments.map((a) => ({
          name: a.filename ?? '(unnamed)',
          size: a.size,
          contentType: a.contentType,
        })),
        receivedAt: clock(),
        isUnexpectedSender: (contact, customer) =>
          isUnexpectedSender(sender.address, contact, customer),
      },
      (facts) => customerMessageNotice(facts, options.contacts, options.mailDomain),
      clock(),
    );
    log.info('customer mail received', {
      outcome: outcome.status,
      messageRowId: outcome.id,
      ...(outcome.status === 'recorded'
        ? { disputeId: outcome.disputeId, flagged: outcome.flagged }
        : {}),
    });
  }

  const server = new SMTPServer({
    name: options.mailDomain,
    banner: 'Settle inbound mail',
    // The relay in front terminates TLS and authenticates senders; this listens on a private address.
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    size: MAX_MESSAGE_BYTES,
    logger: false,
    onData: (stream, session, callback) => {
      const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : null;
      readAll(stream)
        .then((raw) => receive(raw, from))
        .then(
          () => callback(),
          (error: unknown) => {
            log.error('customer mail not recorded; the relay will retry', {
              error: error instanceof Error ? error.message : String(error),
            });
            // 451: a temporary failure, so the relay keeps the message and tries again later.
            callback(
              Object.assign(new Error('Temporary failure, try again later'), {
                responseCode: (error as { responseCode?: number }).responseCode ?? 451,
              }),
            );
          },
        );
    },
  });
  server.on('error', (error: Error) => log.warn('inbound SMTP error', { error: error.message }));
  server.listen(options.port, options.host);
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;
  log.info('inbound SMTP listening', { host: options.host, port });
  return {
    port,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { threadHeaders } from '../../email/headers';
import { renderEmail } from '../../email/render';
import type { EmailMessage } from '../../domain/notifications';
import { startMailCatcher, type MailCatcher } from '../../scripts/mail-catcher';

const DOMAIN = 'settle.test';
const FROM = 'Settle billing <billing@settle.test>';

const ack: EmailMessage = {
  kind: 'acknowledgement',
  data: {
    caseNumber: 'D-INT001',
    invoiceNumber: 'INV-1001',
    contactName: 'Dana <Lee>',
    reason: 'pricing_error',
    openedAt: '2026-03-02T09:15:00Z',
    findingsDueBy: '2026-03-05T17:00:00Z',
    claimedAmount: { amount: '400.00', currency: 'USD' },
    description: 'Unit price is above the contract & the PO',
  },
};

const offer: EmailMessage = {
  kind: 'offer',
  data: {
    caseNumber: 'D-INT001',
    invoiceNumber: 'INV-1001',
    contactName: 'Dana Lee',
    proposal: { remedy: 'credit_note', amount: { amount: '400.00', currency: 'EUR' } },
    respondBy: '2026-03-20T17:00:00Z',
    round: 1,
  },
};

function transport(port: number): Transporter {
  // One connection per message (no pool), short timeouts: a refused connection fails fast.
  return nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    connectionTimeout: 2_000,
    greetingTimeout: 2_000,
    socketTimeout: 5_000,
  });
}

function mailFor(
  message: EmailMessage,
  step: string,
  extra: SendMailOptions = {},
): SendMailOptions {
  const rendered = renderEmail(message, 'fr');
  return {
    from: FROM,
    to: 'dana@example.com',
    ...rendered,
    ...threadHeaders(message.data.caseNumber, step, DOMAIN),
    ...extra,
  };
}

let catcher: MailCatcher;
let mailer: Transporter;

beforeAll(async () => {
  catcher = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  mailer = transport(catcher.smtpPort);
});

afterAll(async () => {
  mailer.close();
  await catcher.stop();
});

beforeEach(() => catcher.clear());

describe('mail catcher over real SMTP', () => {
  it('listens on loopback ports it picked', () => {
    expect(catcher.smtpPort).toBeGreaterThan(0);
    expect(catcher.httpPort).toBeGreaterThan(0);
    expect(catcher.smtpUrl).toBe(`smtp://127.0.0.1:${catcher.smtpPort}`);
    expect(catcher.url).toBe(`http://127.0.0.1:${catcher.httpPort}/`);
    expect(catcher.accepting).toBe(true);
  });

  it('receives a rendered email with recipients, bodies and thread headers', async () => {
    const mail = mailFor(ack, 'ack', {
      to: ['Dana Lee <dana@example.com>', 'ap@example.com'],
      cc: 'billing-lead@settle.test',
      bcc: 'audit@settle.test',
    });
    const info = (await mailer.sendMail(mail)) as { messageId: string; accepted: string[] };
    expect(info.messageId).toBe('<dispute-D-INT001.ack@settle.test>');
    expect(info.accepted).toHaveLength(4);

    const [caught] = catcher.messages();
    expect(caught).toBeDefined();
    expect(caught).toMatchObject({
      id: expect.any(Number) as number,
      messageId: '<dispute-D-INT001.ack@settle.test>',
      from: 'billing@settle.test',
      to: ['dana@example.com', 'ap@example.com'],
      cc: ['billing-lead@settle.test'],
      envelope: {
        from: 'billing@settle.test',
        to: ['dana@example.com', 'ap@example.com', 'billing-lead@settle.test', 'audit@settle.test'],
      },
      subject: '[Settle D-INT001] Nous avons bien reçu votre contestation de la facture INV-1001',
      inReplyTo: '<dispute-D-INT001@settle.test>',
      references: ['<dispute-D-INT001@settle.test>'],
    });
    expect(caught!.text).toContain('Bonjour Dana <Lee>,');
    expect(caught!.text).toContain('Montant contesté\u00a0: 400,00\u00a0$US');
    expect(caught!.html).toContain('Bonjour Dana &lt;Lee&gt;,');
    expect(caught!.html).toContain('Unit price is above the contract &amp; the PO');
    expect(caught!.headers['message-id']).toBe('<dispute-D-INT001.ack@settle.test>');
    expect(caught!.headers['in-reply-to']).toBe('<dispute-D-INT001@settle.test>');
    expect(caught!.headers.subject).toBe(caught!.subject);
    expect(caught!.raw).toMatch(/^Message-ID: <dispute-D-INT001\.ack@settle\.test>\r?$/m);
    expect(caught!.receivedAt).toBeInstanceOf(Date);
  });

  it('threads every message of a dispute under the same root', async () => {
    await mailer.sendMail(mailFor(ack, 'ack'));
    await mailer.sendMail(mailFor(offer, 'offer.r1'));
    const [first, second] = catcher.messages();
    expect(first!.messageId).not.toBe(second!.messageId);
    expect(second!.messageId).toBe('<dispute-D-INT001.offer.r1@settle.test>');
    expect(new Set([first!.inReplyTo, second!.inReplyTo])).toEqual(
      new Set(['<dispute-D-INT001@settle.test>']),
    );
    expect(second!.references).toEqual(first!.references);
  });

  it('waitFor resolves on the arrival event, and times out naming what did arrive', async () => {
    const arriving = catcher.waitFor((message) => message.messageId?.includes('offer.r2') ?? false);
    await mailer.sendMail(mailFor(offer, 'offer.r2'));
    await expect(arriving).resolves.toMatchObject({
      subject: expect.stringContaining('avoir') as string,
    });

    await expect(
      catcher.waitFor((message) => message.subject === 'never sent', { timeoutMs: 50 }),
    ).rejects.toThrow(/no matching message within 50 ms; 1 received: ".*avoir/);
  });

  it('refuses connections while paused, and accepts again on the same port after resume', async () => {
    const port = catcher.smtpPort;
    await catcher.pause();
    expect(catcher.accepting).toBe(false);
    await expect(mailer.sendMail(mailFor(ack, 'ack'))).rejects.toThrow(/ECONNREFUSED/);
    expect(catcher.messages()).toHaveLength(0);

    await catcher.resume();
    expect(catcher.accepting).toBe(true);
    expect(catcher.smtpPort).toBe(port);
    await mailer.sendMail(mailFor(ack, 'ack'));
    await expect(
      catcher.waitFor((message) => message.messageId === '<dispute-D-INT001.ack@settle.test>'),
    ).resolves.toBeDefined();
  });

  it('a send fails while the catcher is stopped and succeeds once it is started on the same port', async () => {
    const first = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    const port = first.smtpPort;
    const client = transport(port);
    try {
      await client.sendMail(mailFor(ack, 'ack'));
      expect(first.messages()).toHaveLength(1);
      await first.stop();

      await expect(client.sendMail(mailFor(ack, 'ack'))).rejects.toThrow(/ECONNREFUSED/);

      const again = await startMailCatcher({ smtpPort: port, httpPort: 0 });
      try {
        expect(again.smtpPort).toBe(port);
        await client.sendMail(mailFor(ack, 'ack'));
        expect(again.messages().map((message) => message.messageId)).toEqual([
          '<dispute-D-INT001.ack@settle.test>',
        ]);
      } finally {
        await again.stop();
      }
    } finally {
      client.close();
      await first.stop();
    }
  });

  it('keeps only the newest messages beyond its cap', async () => {
    const small = await startMailCatcher({ smtpPort: 0, httpPort: 0, maxMessages: 2 });
    const client = transport(small.smtpPort);
    try {
      for (const step of ['s1', 's2', 's3']) await client.sendMail(mailFor(ack, step));
      expect(small.messages().map((message) => [message.id, message.messageId])).toEqual([
        [2, '<dispute-D-INT001.s2@settle.test>'],
        [3, '<dispute-D-INT001.s3@settle.test>'],
      ]);
    } finally {
      client.close();
      await small.stop();
    }
  });

  it('rejects waiters when stopped and refuses a non-loopback host', async () => {
    const short = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
    const waiting = short.waitFor(() => false, { timeoutMs: 5_000 });
    await short.stop();
    await expect(waiting).rejects.toThrow(/stopped/);
    await expect(startMailCatcher({ host: '0.0.0.0', smtpPort: 0, httpPort: 0 })).rejects.toThrow(
      RangeError,
    );
  });
});

describe('mail catcher web page', () => {
  const get = (path: string, init?: RequestInit): Promise<Response> =>
    fetch(new URL(path, catcher.url), init);

  it('lists messages newest first, escaped, and shows each one with its HTML sandboxed', async () => {
    await mailer.sendMail(mailFor(offer, 'offer.r1', { subject: 'first <b>bold</b>' }));
    await mailer.sendMail(mailFor(ack, 'ack', { subject: 'second <script>alert(1)</script>' }));
    const [first, second] = catcher.messages();

    const list = await get('/');
    expect(list.status).toBe(200);
    expect(list.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(list.headers.get('content-security-policy')).toContain("default-src 'none'");
    const listHtml = await list.text();
    expect(listHtml).not.toContain('<script>alert(1)</script>');
    expect(listHtml).toContain('second &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(listHtml.indexOf(`/messages/${second!.id}`)).toBeLessThan(
      listHtml.indexOf(`/messages/${first!.id}`),
    );

    const detail = await get(`/messages/${second!.id}`);
    const detailHtml = await detail.text();
    expect(detailHtml).toMatch(
      new RegExp(`<iframe\\s+sandbox\\s+src="/messages/${second!.id}/html"`),
    );
    expect(detailHtml).toContain('Bonjour Dana &lt;Lee&gt;,');
    expect(detailHtml).toContain('&lt;dispute-D-INT001.ack@settle.test&gt;');

    const body = await get(`/messages/${second!.id}/html`);
    expect(body.headers.get('content-security-policy')).toMatch(/^sandbox; default-src 'none'/);
    expect(await body.text()).toBe(second!.html);

    const raw = await get(`/messages/${second!.id}/raw`);
    expect(raw.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await raw.text()).toBe(second!.raw);
  });

  it('serves JSON, clears on DELETE, and answers 404 and 405', async () => {
    await mailer.sendMail(mailFor(ack, 'ack'));
    await mailer.sendMail(mailFor(offer, 'offer.r1'));

    const all = (await (await get('/api/messages')).json()) as { id: number; messageId: string }[];
    expect(all.map((message) => message.messageId)).toEqual([
      '<dispute-D-INT001.offer.r1@settle.test>',
      '<dispute-D-INT001.ack@settle.test>',
    ]);
    const one = (await (await get(`/api/messages/${all[1]!.id}`)).json()) as {
      references: string[];
      receivedAt: string;
    };
    expect(one.references).toEqual(['<dispute-D-INT001@settle.test>']);
    expect(Date.parse(one.receivedAt)).not.toBeNaN();

    expect((await get('/messages/999999')).status).toBe(404);
    expect((await get('/nowhere')).status).toBe(404);
    expect((await get('/', { method: 'POST' })).status).toBe(405);

    expect((await get('/api/messages', { method: 'DELETE' })).status).toBe(204);
    expect(catcher.messages()).toEqual([]);
  });
});

// A real SMTP server on loopback that keeps what it receives, for `npm start` and the tests.
// `tsx scripts/mail-catcher.ts` runs it on MAIL_CATCHER_SMTP_PORT / MAIL_CATCHER_HTTP_PORT.
import { EventEmitter, once } from 'node:events';
import { realpathSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { simpleParser, type AddressObject, type HeaderValue, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { html, SafeHtml } from '../email/html';

export const DEFAULT_SMTP_PORT = 1025;
export const DEFAULT_HTTP_PORT = 8025;
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_MAX_MESSAGES = 1000;
const MAX_MESSAGE_BYTES = 25 * 1024 * 1024;

export interface MailCatcherOptions {
  /** 0 picks a free port. Default 1025. */
  smtpPort?: number;
  /** 0 picks a free port. Default 8025. */
  httpPort?: number;
  /** A loopback address; the catcher has no auth, so it never listens elsewhere. Default 127.0.0.1. */
  host?: string;
  /** Oldest messages are dropped beyond this many. Default 1,000. */
  maxMessages?: number;
  /** Socket and parse errors; the library never logs. */
  onError?: (error: Error) => void;
}

export interface CaughtMessage {
  /** Sequence number from 1, never reused (also after clear()); the page shows it at /messages/:id. */
  readonly id: number;
  readonly messageId: string | null;
  /** The From address. */
  readonly from: string | null;
  readonly to: readonly string[];
  readonly cc: readonly string[];
  /** The SMTP envelope, which also names Bcc recipients. */
  readonly envelope: { readonly from: string | null; readonly to: readonly string[] };
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
  readonly inReplyTo: string | null;
  readonly references: readonly string[];
  /** Decoded headers by lowercase name; repeated headers are joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly raw: string;
  readonly receivedAt: Date;
}

export interface WaitForOptions {
  /** Default 10 seconds. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface StopOptions {
  /** How long open SMTP sessions may finish before they are closed. Default 1,000 ms. */
  graceMs?: number;
}

export interface MailCatcher {
  readonly host: string;
  readonly smtpPort: number;
  readonly httpPort: number;
  /** The web page, e.g. http://127.0.0.1:8025/ */
  readonly url: string;
  /** For SMTP_URL, e.g. smtp://127.0.0.1:1025 */
  readonly smtpUrl: string;
  /** False while paused or stopped: connections to the SMTP port are refused. */
  readonly accepting: boolean;
  /** Oldest first. */
  messages(): CaughtMessage[];
  /** The first message (received or still to come) that matches; rejects after the timeout. */
  waitFor(
    predicate: (message: CaughtMessage) => boolean,
    options?: WaitForOptions,
  ): Promise<CaughtMessage>;
  clear(): void;
  /** Closes the SMTP port (connections are refused) and keeps messages and the web page. */
  pause(options?: StopOptions): Promise<void>;
  /** Listens on the same SMTP port again. */
  resume(): Promise<void>;
  stop(options?: StopOptions): Promise<void>;
}

function assertLoopback(host: string): void {
  const loopback =
    host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
  if (!loopback) throw new RangeError(`the mail catcher listens on loopback only, not "${host}"`);
}

function assertPort(port: number, name: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`${name} must be an integer from 0 to 65535, got ${port}`);
  }
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((object) =>
    object.value.flatMap((entry) =>
      entry.group ? entry.group.flatMap((member) => member.address ?? []) : (entry.address ?? []),
    ),
  );
}

function headerText(value: HeaderValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return (value as readonly HeaderValue[]).map(headerText).join(', ');
  if ('text' in value && typeof value.text === 'string') return value.text;
  if ('params' in value && typeof value.value === 'string') {
    const params = Object.entries(value.params as Record<string, string>).map(
      ([key, param]) => `; ${key}=${param}`,
    );
    return value.value + params.join('');
  }
  return JSON.stringify(value);
}

function toCaught(
  id: number,
  parsed: ParsedMail,
  raw: Buffer,
  session: SMTPServerSession,
): CaughtMessage {
  const references = parsed.references ?? [];
  const mailFrom = session.envelope.mailFrom;
  return Object.freeze({
    id,
    messageId: parsed.messageId ?? null,
    from: addresses(parsed.from)[0] ?? null,
    to: addresses(parsed.to),
    cc: addresses(parsed.cc),
    envelope: {
      from: mailFrom ? mailFrom.address : null,
      to: session.envelope.rcptTo.map((recipient) => recipient.address),
    },
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    inReplyTo: parsed.inReplyTo ?? null,
    references: Array.isArray(references) ? references : [references],
    headers: Object.fromEntries(
      [...parsed.headers].map(([name, value]) => [name, headerText(value)]),
    ),
    raw: raw.toString('utf8'),
    receivedAt: new Date(),
  });
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('error', reject);
    stream.once('end', () => {
      if (stream.sizeExceeded) {
        reject(Object.assign(new Error('Message exceeds the size limit'), { responseCode: 552 }));
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
  });
}

function closeSmtp(server: SMTPServer, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const cut = setTimeout(() => {
      for (const connection of server.connections) {
        connection.send(421, 'Mail catcher shutting down');
        connection.close();
      }
    }, graceMs);
    server.close(() => {
      clearTimeout(cut);
      resolve();
    });
  });
}

// ---- web page ----

const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// The message's own HTML: sandboxed, no scripts, no remote loads (no tracking pixels either).
const BODY_CSP =
  "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

const STYLE = new SafeHtml(`body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1f2933}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e4e7eb;vertical-align:top}
pre{white-space:pre-wrap;background:#f4f5f7;padding:12px;border-radius:4px}
iframe{width:100%;height:70vh;border:1px solid #cbd2d9;border-radius:4px}
.muted{color:#616e7c}`);

function page(title: string, body: SafeHtml, refresh = false): string {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        ${refresh ? html`<meta http-equiv="refresh" content="5" />` : ''}
        <title>${title}</title>
        <style>
          ${STYLE}
        </style>
      </head>
      <body>
        ${body}
      </body>
    </html> `.value;
}

function listPage(messages: readonly CaughtMessage[], smtpUrl: string): string {
  const rows = [...messages].reverse().map(
    (message) =>
      html`<tr>
        <td>${message.id}</td>
        <td>${message.receivedAt.toISOString()}</td>
        <td>${message.from ?? ''}</td>
        <td>${message.to.join(', ')}</td>
        <td><a href="/messages/${message.id}">${message.subject || '(no subject)'}</a></td>
      </tr>`,
  );
  return page(
    'Settle mail catcher',
    html`<h1>Settle mail catcher</h1>
      <p class="muted">
        SMTP ${smtpUrl} · ${messages.length} message(s), newest first ·
        <a href="/api/messages">JSON</a>
      </p>
      <table>
        <thead>
          <tr>
            <th>#</th>
            <th>Received</th>
            <th>From</th>
            <th>To</th>
            <th>Subject</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>`,
    true,
  );
}

function messagePage(message: CaughtMessage): string {
  const headers = Object.entries(message.headers).map(
    ([name, value]) =>
      html`<tr>
        <th>${name}</th>
        <td>${value}</td>
      </tr>`,
  );
  return page(
    message.subject || '(no subject)',
    html`<p>
        <a href="/">← all messages</a> · <a href="/messages/${message.id}/raw">raw source</a>
      </p>
      <h1>${message.subject || '(no subject)'}</h1>
      <table>
        <tr>
          <th>Envelope from</th>
          <td>${message.envelope.from ?? ''}</td>
        </tr>
        <tr>
          <th>Envelope to</th>
          <td>${message.envelope.to.join(', ')}</td>
        </tr>
        ${headers}
      </table>
      <h2>Text</h2>
      <pre>${message.text}</pre>
      <h2>HTML</h2>
      ${
        message.html === null
          ? html`<p class="muted">No HTML part.</p>`
          : html`<iframe
              sandbox
              src="/messages/${message.id}/html"
              title="HTML body"
              referrerpolicy="no-referrer"
            ></iframe>`
      }`,
  );
}

interface Reply {
  status: number;
  type: string;
  body: string;
  headers?: Record<string, string>;
}

const text = (status: number, body: string, headers?: Record<string, string>): Reply => ({
  status,
  type: 'text/plain',
  body,
  ...(headers ? { headers } : {}),
});
const json = (value: unknown): Reply => ({
  status: 200,
  type: 'application/json',
  body: JSON.stringify(value),
});
const htmlPage = (body: string, csp: string): Reply => ({
  status: 200,
  type: 'text/html',
  body,
  headers: { 'content-security-policy': csp },
});
const NOT_FOUND = text(404, 'Not found\n');

interface Store {
  messages: readonly CaughtMessage[];
  clear(): void;
  smtpUrl: string;
}

function route(method: string, path: string, store: Store): Reply {
  if (path === '/api/messages' && method === 'DELETE') {
    store.clear();
    return text(204, '');
  }
  if (method !== 'GET' && method !== 'HEAD') {
    return text(405, 'Method not allowed\n', { allow: 'GET, HEAD' });
  }
  if (path === '/') return htmlPage(listPage(store.messages, store.smtpUrl), PAGE_CSP);
  if (path === '/api/messages') return json([...store.messages].reverse());

  const [, api, id, part] = /^\/(api\/)?messages\/(\d+)(?:\/(html|raw))?$/.exec(path) ?? [];
  const message = store.messages.find((candidate) => String(candidate.id) === id);
  if (!message) return NOT_FOUND;
  if (api) return part ? NOT_FOUND : json(message);
  if (part === 'raw') return text(200, message.raw);
  if (part === 'html') return message.html === null ? NOT_FOUND : htmlPage(message.html, BODY_CSP);
  return htmlPage(messagePage(message), PAGE_CSP);
}

function respond(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, {
    'content-type': `${reply.type}; charset=utf-8`,
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    ...reply.headers,
  });
  res.end(reply.body);
}

// ---- the catcher ----

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? DEFAULT_HOST;
  const maxMessages = options.maxMessages ?? DEFAULT_MAX_MESSAGES;
  const onError = options.onError ?? ((): void => undefined);
  assertLoopback(host);
  assertPort(options.smtpPort ?? DEFAULT_SMTP_PORT, 'smtpPort');
  assertPort(options.httpPort ?? DEFAULT_HTTP_PORT, 'httpPort');
  if (!Number.isInteger(maxMessages) || maxMessages < 1) {
    throw new RangeError(`maxMessages must be a positive integer, got ${maxMessages}`);
  }

  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  const arrivals = new EventEmitter();
  const stopped = new EventEmitter();
  let store: CaughtMessage[] = [];
  let nextId = 1;
  let smtpPort = options.smtpPort ?? DEFAULT_SMTP_PORT;
  let smtp: SMTPServer | null = null;
  let running = true;

  async function accept(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const raw = await readAll(stream);
    const message = toCaught(nextId++, await simpleParser(raw), raw, session);
    store.push(message);
    if (store.length > maxMessages) store = store.slice(-maxMessages);
    arrivals.emit('message', message);
  }

  function createSmtp(): SMTPServer {
    const server = new SMTPServer({
      name: 'mail-catcher.settle.local',
      banner: 'Settle mail catcher',
      disabledCommands: ['STARTTLS'],
      authOptional: true,
      allowInsecureAuth: true,
      disableReverseLookup: true,
      size: MAX_MESSAGE_BYTES,
      logger: false,
      onAuth: (auth, _session, callback) => callback(null, { user: auth.username ?? 'anonymous' }),
      onData: (stream, session, callback) => {
        accept(stream, session).then(
          () => callback(),
          (error: unknown) => {
            const failure = toError(error);
            onError(failure);
            callback(failure);
          },
        );
      },
    });
    server.on('error', (error: Error) => onError(error));
    return server;
  }

  async function listenSmtp(): Promise<void> {
    const server = createSmtp();
    server.listen(smtpPort, host);
    await once(server.server, 'listening');
    smtpPort = (server.server.address() as AddressInfo).port;
    smtp = server;
  }

  async function pauseSmtp(graceMs: number): Promise<void> {
    const server = smtp;
    smtp = null;
    if (server) await closeSmtp(server, graceMs);
  }

  function clear(): void {
    store = [];
  }

  await listenSmtp();
  const smtpUrl = `smtp://${urlHost}:${smtpPort}`;
  const http: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    try {
      const path = new URL(req.url ?? '/', 'http://catcher').pathname;
      respond(res, route(req.method ?? 'GET', path, { messages: store, clear, smtpUrl }));
    } catch (error) {
      onError(toError(error));
      respond(res, text(500, 'Internal error\n'));
    }
  });
  http.on('clientError', (error, socket) => socket.destroy(error));

  try {
    http.listen(options.httpPort ?? DEFAULT_HTTP_PORT, host);
    await once(http, 'listening');
  } catch (error) {
    await pauseSmtp(0);
    throw error;
  }
  const httpPort = (http.address() as AddressInfo).port;

  return {
    host,
    smtpPort,
    httpPort,
    url: `http://${urlHost}:${httpPort}/`,
    smtpUrl,
    get accepting() {
      return smtp !== null;
    },
    messages: () => [...store],
    clear,
    async waitFor(predicate, { timeoutMs = 10_000, signal } = {}) {
      const found = store.find(predicate);
      if (found) return found;
      if (!running) throw new Error('the mail catcher is stopped');
      signal?.throwIfAborted();
      return new Promise<CaughtMessage>((resolve, reject) => {
        const finish = (settle: () => void): void => {
          clearTimeout(timer);
          arrivals.off('message', onMessage);
          stopped.off('stop', onStop);
          signal?.removeEventListener('abort', onAbort);
          settle();
        };
        const onMessage = (message: CaughtMessage): void => {
          try {
            if (predicate(message)) finish(() => resolve(message));
          } catch (error) {
            finish(() => reject(toError(error)));
          }
        };
        const onStop = (): void => finish(() => reject(new Error('the mail catcher stopped')));
        const onAbort = (): void => finish(() => reject(toError(signal?.reason)));
        const timer = setTimeout(() => {
          const subjects = store.map((message) => JSON.stringify(message.subject)).join(', ');
          finish(() =>
            reject(
              new Error(
                `no matching message within ${timeoutMs} ms; ${store.length} received: ${subjects || 'none'}`,
              ),
            ),
          );
        }, timeoutMs);
        arrivals.on('message', onMessage);
        stopped.once('stop', onStop);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async pause({ graceMs = 1000 } = {}) {
      await pauseSmtp(graceMs);
    },
    async resume() {
      if (!running) throw new Error('the mail catcher is stopped');
      if (smtp === null) await listenSmtp();
    },
    async stop({ graceMs = 1000 } = {}) {
      if (!running) return;
      running = false;
      stopped.emit('stop');
      const httpClosed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await Promise.all([pauseSmtp(graceMs), httpClosed]);
    },
  };
}

// ---- command line ----

function portFromEnv(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  assertPort(port, name);
  return port;
}

function isMain(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const catcher = await startMailCatcher({
    smtpPort: portFromEnv('MAIL_CATCHER_SMTP_PORT', DEFAULT_SMTP_PORT),
    httpPort: portFromEnv('MAIL_CATCHER_HTTP_PORT', DEFAULT_HTTP_PORT),
    onError: (error) => console.error(`mail catcher: ${error.message}`),
  });
  console.log(`Mail catcher: SMTP ${catcher.smtpUrl}, messages at ${catcher.url}`);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log(`${signal}: stopping the mail catcher`);
    catcher.stop().then(
      () => console.log('Mail catcher stopped'),
      (error: unknown) => {
        console.error(error);
        process.exitCode = 1;
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

if (isMain()) {
  main().catch((error: unknown) => {
    console.error(`mail catcher: ${toError(error).message}`);
    process.exitCode = 1;
  });
}

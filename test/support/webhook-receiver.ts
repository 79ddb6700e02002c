// A real HTTP receiver on loopback, as a billing system would write one: it checks the
// Settle-Signature with its own copy of the secret, refuses a bad one with 401, deduplicates by
// event id, and can be taken down and brought back.
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifySignature } from '../../store/webhooks/signature';

export interface ReceivedEvent {
  id: string;
  type: string;
  createdAt: string;
  data: any;
  receivedAt: number;
}

export interface WebhookReceiver {
  url: string;
  /** Unique events in arrival order (after deduplication by id). */
  events: ReceivedEvent[];
  /** Every delivery that passed the signature check, duplicates included. */
  accepted: number;
  /** Deliveries refused for their signature. */
  refused: number;
  setSecret(secret: string): void;
  /** Answers 503 to everything while down (a receiver whose database is away). */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

export async function startWebhookReceiver(secret = ''): Promise<WebhookReceiver> {
  let current = secret;
  let down = false;
  const seen = new Set<string>();
  const receiver: Omit<WebhookReceiver, 'url' | 'setSecret' | 'setDown' | 'stop'> = {
    events: [],
    accepted: 0,
    refused: 0,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (down) {
        res.writeHead(503).end();
        return;
      }
      const body = Buffer.concat(chunks).toString('utf8');
      const header = req.headers['settle-signature'];
      const check = verifySignature(
        current,
        body,
        typeof header === 'string' ? header : undefined,
        Math.floor(Date.now() / 1000),
      );
      if (!check.ok) {
        receiver.refused += 1;
        res.writeHead(401).end(check.problem);
        return;
      }
      receiver.accepted += 1;
      const event = JSON.parse(body) as Omit<ReceivedEvent, 'receivedAt'>;
      if (!seen.has(event.id)) {
        seen.add(event.id);
        receiver.events.push({ ...event, receivedAt: Date.now() });
      }
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const controls: Pick<WebhookReceiver, 'url' | 'setSecret' | 'setDown' | 'stop'> = {
    url: `http://127.0.0.1:${port}/hooks/settle`,
    setSecret(next: string) {
      current = next;
    },
    setDown(next: boolean) {
      down = next;
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return Object.assign(receiver, controls);
}

// The SMTP sink (bench/smtp-sink.ts) as a child process, and the acknowledgement emails it has
// received: when each dispute's acknowledgement reached it, in epoch milliseconds.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** `<dispute-D-….acknowledgement.1@settle.local>`: email/headers.ts's Message-ID of the step. */
const ACKNOWLEDGEMENT = /^<dispute-([A-Za-z0-9_-]+)\.acknowledgement\.\d+@/;

export interface AckSink {
  smtpUrl: string;
  /** Epoch ms at which the dispute's acknowledgement arrived, if it has. */
  at(disputeId: string): number | undefined;
  /** Resolves with the arrival time; rejects after `timeoutMs`. */
  until(disputeId: string, timeoutMs: number): Promise<number>;
  /** Messages received in all, acknowledgements or not. */
  received(): number;
  stop(): Promise<void>;
}

export async function startAckSink(): Promise<AckSink> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'bench/smtp-sink.ts'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, ((at: number) => void)[]>();
  let received = 0;
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`SMTP sink exited (${code}) before listening`)));
    lines.on('line', (line) => {
      const listening = /^listening (\d+)$/.exec(line);
      if (listening) {
        resolve(Number(listening[1]));
        return;
      }
      const [at, messageId] = line.split(' ');
      received += 1;
      const id = ACKNOWLEDGEMENT.exec(messageId ?? '')?.[1];
      if (!id || arrivals.has(id)) return;
      arrivals.set(id, Number(at));
      for (const wake of waiters.get(id) ?? []) wake(Number(at));
      waiters.delete(id);
    });
  });
  return {
    smtpUrl: `smtp://127.0.0.1:${port}`,
    at: (id) => arrivals.get(id),
    until(id, timeoutMs) {
      const known = arrivals.get(id);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no acknowledgement of ${id} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        const wake = (at: number): void => {
          clearTimeout(timer);
          resolve(at);
        };
        waiters.set(id, [...(waiters.get(id) ?? []), wake]);
      });
    },
    received: () => received,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

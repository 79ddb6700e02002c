// Structured JSON log lines for the worker process's own loops (webhooks, relay, inbound mail).
import type { DispatcherLog } from './webhook-dispatcher';

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

export function jsonLog(
  component: string,
  level: string,
  out: { write(line: string): unknown } = process.stdout,
): DispatcherLog {
  const min = level === 'silent' ? Infinity : LEVELS.indexOf(level as (typeof LEVELS)[number]);
  const write =
    (name: (typeof LEVELS)[number]) =>
    (message: string, fields: Record<string, unknown> = {}): void => {
      if (LEVELS.indexOf(name) < min) return;
      out.write(
        `${JSON.stringify({ level: name, time: new Date().toISOString(), component, msg: message, ...fields })}\n`,
      );
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

// `Settle-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">`, as Stripe signs: the
// timestamp is inside the MAC, so a receiver that checks its age refuses replayed deliveries.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Settle-Signature';
/** How old a signature a receiver should accept, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const hmac = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

export type SignatureCheck =
  { ok: true; timestamp: number } | { ok: false; problem: 'malformed' | 'mismatch' | 'too_old' };

/** What a receiver does with the header: parse, recompute, compare in constant time, check age. */
export function verifySignature(
  secret: string,
  body: string,
  header: string | undefined,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
): SignatureCheck {
  const parts = new Map<string, string[]>();
  for (const item of (header ?? '').split(',')) {
    const eq = item.indexOf('=');
    if (eq < 1) continue;
    const key = item.slice(0, eq).trim();
    parts.set(key, [...(parts.get(key) ?? []), item.slice(eq + 1).trim()]);
  }
  const t = parts.get('t')?.[0];
  const timestamp = t !== undefined && /^\d{1,12}$/.test(t) ? Number(t) : Number.NaN;
  const candidates = parts.get('v1') ?? [];
  if (!Number.isFinite(timestamp) || candidates.length === 0)
    return { ok: false, problem: 'malformed' };
  const expected = Buffer.from(hmac(secret, timestamp, body));
  const match = candidates.some((c) => {
    const given = Buffer.from(c);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!match) return { ok: false, problem: 'mismatch' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, problem: 'too_old' };
  return { ok: true, timestamp };
}

// The capability in a customer email's link: `<kid>.<claims>.<signature>`, an HMAC-SHA256 over the
// key id and the base64url claims. The link's row holds the rest; the signature makes the token
// unguessable and any change to it detectable without a database look-up.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A key that signs customer links (CUSTOMER_LINK_KEYS in config.ts). */
export interface SigningKey {
  /** Names the key inside each token, so a rotated-out key still verifies the links it signed. */
  kid: string;
  secret: string;
}

export interface LinkClaims {
  /** The CustomerLink row. */
  linkId: string;
  disputeId: string;
  round: number;
  /** Expiry, epoch seconds: the round's deadline. */
  exp: number;
}

/** What a token's path segment may look like; anything else is refused before any crypto. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,16}\.[A-Za-z0-9_-]{16,400}\.[A-Za-z0-9_-]{43}$/;
export const TOKEN_MAX_LENGTH = 470;

export type TokenProblem = 'malformed' | 'unknown_key' | 'bad_signature' | 'expired';

export type VerifiedToken = { ok: true; claims: LinkClaims } | { ok: false; problem: TokenProblem };

const mac = (secret: string, kid: string, payload: string): Buffer =>
  createHmac('sha256', secret).update(`settle-link.v1.${kid}.${payload}`).digest();

export function signLinkToken(keys: readonly SigningKey[], claims: LinkClaims): string {
  const key = keys[0];
  if (!key) throw new Error('no customer link signing key');
  const payload = Buffer.from(
    JSON.stringify({ l: claims.linkId, d: claims.disputeId, r: claims.round, e: claims.exp }),
  ).toString('base64url');
  return `${key.kid}.${payload}.${mac(key.secret, key.kid, payload).toString('base64url')}`;
}

function parseClaims(payload: string): LinkClaims | null {
  try {
    const raw = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    const { l, d, r, e } = raw;
    if (
      typeof l !== 'string' ||
      typeof d !== 'string' ||
      !Number.isSafeInteger(r) ||
      !Number.isSafeInteger(e)
    )
      return null;
    return { linkId: l, disputeId: d, round: r as number, exp: e as number };
  } catch {
    return null;
  }
}

/** Checks form, key, signature (constant time) and expiry, in that order. */
export function verifyLinkToken(
  keys: readonly SigningKey[],
  token: string,
  nowMs: number,
): VerifiedToken {
  if (token.length > TOKEN_MAX_LENGTH || !TOKEN_PATTERN.test(token))
    return { ok: false, problem: 'malformed' };
  const [kid = '', payload = '', signature = ''] = token.split('.');
  const key = keys.find((k) => k.kid === kid);
  if (!key) return { ok: false, problem: 'unknown_key' };
  // Compared as text: base64url decoding ignores a last character's spare bits, the text does not.
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(key.secret, kid, payload).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, problem: 'bad_signature' };
  const claims = parseClaims(payload);
  if (!claims) return { ok: false, problem: 'malformed' };
  if (nowMs >= claims.exp * 1000) return { ok: false, problem: 'expired' };
  return { ok: true, claims };
}

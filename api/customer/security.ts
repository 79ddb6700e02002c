// The response page's protections: a strict Content-Security-Policy (no script at all, the one
// style sheet pinned by its hash), no referrer (the token is in the URL), no caching, no framing,
// and a CSRF token bound to a SameSite=Strict cookie and to the link.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SigningKey } from '../../store/customer-links/token';

export const CSRF_COOKIE = 'settle_csrf';

export function contentSecurityPolicy(css: string): string {
  const hash = createHash('sha256').update(css).digest('base64');
  return [
    "default-src 'none'",
    `style-src 'sha256-${hash}'`,
    "img-src 'none'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(reply: FastifyReply, csp: string): void {
  reply
    .header('content-security-policy', csp)
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin')
    .header('cross-origin-resource-policy', 'same-origin')
    .header('permissions-policy', 'camera=(), microphone=(), geolocation=(), payment=()');
}

function cookieValue(request: FastifyRequest, name: string): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

/** The browser's CSRF cookie, set now when it has none. */
export function csrfCookie(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const existing = cookieValue(request, CSRF_COOKIE);
  if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
  const value = randomBytes(32).toString('base64url');
  reply.header(
    'set-cookie',
    `${CSRF_COOKIE}=${value}; Path=/respond; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`,
  );
  return value;
}

const csrfMac = (key: SigningKey, linkId: string, cookie: string): string =>
  createHmac('sha256', key.secret).update(`settle-csrf.v1.${linkId}.${cookie}`).digest('base64url');

/** The form's hidden token: the cookie bound to this link, signed with the current key. */
export function csrfToken(keys: readonly SigningKey[], linkId: string, cookie: string): string {
  return csrfMac(keys[0]!, linkId, cookie);
}

/**
 * A form post is ours when it comes from our own page (Sec-Fetch-Site, when the browser sends it)
 * with the cookie the page set and the token the page embedded for this link.
 */
export function csrfValid(
  request: FastifyRequest,
  keys: readonly SigningKey[],
  linkId: string,
  given: string | undefined,
): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false;
  const cookie = cookieValue(request, CSRF_COOKIE);
  if (!cookie || !given) return false;
  const presented = Buffer.from(given);
  return keys.some((key) => {
    const expected = Buffer.from(csrfMac(key, linkId, cookie));
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
}

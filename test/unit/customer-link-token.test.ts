// The customer link token: signed, bound to its claims, expiring, and verifiable with a rotated-out key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEV_CUSTOMER_LINK_KEYS, loadConfig } from '../../config';
import { signLinkToken, TOKEN_PATTERN, verifyLinkToken } from '../../store/customer-links/token';

const OLD = { kid: 'k2025', secret: 'an-old-secret-that-is-long-enough-000' };
const NEW = { kid: 'k2026', secret: 'a-new-secret-that-is-long-enough-0000' };
const claims = { linkId: 'lnk_abc', disputeId: 'D-ABCDEFGHJK', round: 2, exp: 2_000_000_000 };
const NOW = 1_900_000_000_000;

describe('customer link tokens', () => {
  it('round-trips its claims and has the documented shape', () => {
    const token = signLinkToken([NEW], claims);
    expect(token).toMatch(TOKEN_PATTERN);
    expect(token.startsWith('k2026.')).toBe(true);
    expect(verifyLinkToken([NEW], token, NOW)).toEqual({ ok: true, claims });
  });

  it('keeps verifying links signed with a key rotated out of first place', () => {
    const old = signLinkToken([OLD], claims);
    expect(verifyLinkToken([NEW, OLD], old, NOW)).toEqual({ ok: true, claims });
    expect(signLinkToken([NEW, OLD], claims).startsWith('k2026.')).toBe(true);
    // Once the old key is dropped, its links stop working.
    expect(verifyLinkToken([NEW], old, NOW)).toEqual({ ok: false, problem: 'unknown_key' });
  });

  it('expires at the round deadline', () => {
    const token = signLinkToken([NEW], claims);
    expect(verifyLinkToken([NEW], token, claims.exp * 1000 - 1).ok).toBe(true);
    expect(verifyLinkToken([NEW], token, claims.exp * 1000)).toEqual({
      ok: false,
      problem: 'expired',
    });
  });

  it('refuses a token signed with another secret under the same key id', () => {
    const forged = signLinkToken([{ kid: NEW.kid, secret: 'x'.repeat(40) }], claims);
    expect(verifyLinkToken([NEW], forged, NOW)).toEqual({ ok: false, problem: 'bad_signature' });
  });

  it('refuses every single-character change of a token', () => {
    const token = signLinkToken([NEW], claims);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (at, char) => {
        fc.pre(token[at] !== char);
        const altered = token.slice(0, at) + char + token.slice(at + 1);
        expect(verifyLinkToken([NEW], altered, NOW).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
    // Swapping in claims for another dispute with the original signature fails too.
    const [kid, , signature] = token.split('.');
    const other = Buffer.from(
      JSON.stringify({ l: 'lnk_abc', d: 'D-ZZZZZZZZZZ', r: 2, e: claims.exp }),
    ).toString('base64url');
    expect(verifyLinkToken([NEW], `${kid}.${other}.${signature}`, NOW).ok).toBe(false);
  });

  it('refuses malformed input without throwing', () => {
    for (const junk of ['', 'a.b.c', '...', 'x'.repeat(5000), 'k2026.%%%.sig', '\u0000'])
      expect(verifyLinkToken([NEW], junk, NOW)).toMatchObject({ ok: false });
  });
});

describe('CUSTOMER_LINK_KEYS', () => {
  it('parses kid:secret pairs, first one signs', () => {
    const config = loadConfig({
      CUSTOMER_LINK_KEYS: `${NEW.kid}:${NEW.secret},${OLD.kid}:${OLD.secret}`,
    });
    expect(config.CUSTOMER_LINK_KEYS).toEqual([NEW, OLD]);
  });

  it.each([
    'k:short',
    'no-colon-secret-that-is-long-enough-0000',
    'bad kid!:' + 'x'.repeat(40),
    `a:${'x'.repeat(40)},a:${'y'.repeat(40)}`,
  ])('refuses %s with a message that shows no secret', (value) => {
    expect(() => loadConfig({ CUSTOMER_LINK_KEYS: value })).toThrow(/CUSTOMER_LINK_KEYS/);
    try {
      loadConfig({ CUSTOMER_LINK_KEYS: value });
    } catch (error) {
      expect(String(error)).not.toContain('x'.repeat(40));
    }
  });

  it('has a development key only in development: anyone can read it here and forge links', () => {
    for (const NODE_ENV of [undefined, '', 'development', 'test']) {
      expect(loadConfig({ NODE_ENV }).CUSTOMER_LINK_KEYS).toEqual(
        loadConfig({ CUSTOMER_LINK_KEYS: DEV_CUSTOMER_LINK_KEYS }).CUSTOMER_LINK_KEYS,
      );
    }
    const keys = { SETTLE_API_KEYS: 'operations:ops-bot:a-production-secret' };
    for (const NODE_ENV of ['production', 'staging']) {
      for (const CUSTOMER_LINK_KEYS of [undefined, '', ' ']) {
        expect(() => loadConfig({ ...keys, NODE_ENV, CUSTOMER_LINK_KEYS })).toThrow(
          new RegExp(`CUSTOMER_LINK_KEYS: required when NODE_ENV=${NODE_ENV}`),
        );
      }
      const given = `${NEW.kid}:${NEW.secret}`;
      expect(
        loadConfig({ ...keys, NODE_ENV, CUSTOMER_LINK_KEYS: given }).CUSTOMER_LINK_KEYS,
      ).toEqual([NEW]);
    }
  });
});

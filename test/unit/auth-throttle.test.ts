// The failed-authentication throttle: a bucket of failures per client address, with bounded memory.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createAuthThrottle } from '../../api/http/auth-throttle';
import { loadConfig } from '../../config';

describe('the failed-authentication throttle', () => {
  it('lets an address fail its bucket’s worth, then blocks it until a token refills', () => {
    let now = 0;
    const throttle = createAuthThrottle({ perMinute: 6, now: () => now });
    for (let i = 0; i < 6; i += 1) {
      expect(throttle.blockedFor('10.0.0.1')).toBe(0);
      throttle.failed('10.0.0.1');
    }
    expect(throttle.blockedFor('10.0.0.1')).toBe(10);
    expect(throttle.blockedFor('10.0.0.2')).toBe(0);
    now += 9_999;
    expect(throttle.blockedFor('10.0.0.1')).toBe(1);
    now += 1;
    expect(throttle.blockedFor('10.0.0.1')).toBe(0);
    throttle.failed('10.0.0.1');
    expect(throttle.blockedFor('10.0.0.1')).toBe(10);
  });

  it('never lets an address fail more than the bucket plus its refill over any stretch of time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.integer({ min: 0, max: 20_000 }), { maxLength: 300 }),
        (perMinute, gaps) => {
          let now = 0;
          const throttle = createAuthThrottle({ perMinute, now: () => now });
          let tried = 0;
          for (const gap of gaps) {
            now += gap;
            if (throttle.blockedFor('a') === 0) {
              throttle.failed('a');
              tried += 1;
            }
          }
          expect(tried).toBeLessThanOrEqual(perMinute + Math.floor((now * perMinute) / 60_000) + 1);
        },
      ),
    );
  });

  it('remembers at most maxAddresses, forgetting the least recently failing first', () => {
    const throttle = createAuthThrottle({ perMinute: 1, maxAddresses: 100, now: () => 0 });
    throttle.failed('attacker');
    for (let i = 0; i < 99; i += 1) throttle.failed(`10.0.${i >> 8}.${i & 255}`);
    expect(throttle.size).toBe(100);
    // A new failure of the attacker keeps it among the most recent.
    throttle.failed('attacker');
    for (let i = 0; i < 10_000; i += 1) {
      throttle.failed(`10.1.${i >> 8}.${i & 255}`);
      expect(throttle.size).toBeLessThanOrEqual(100);
      if (i < 98) expect(throttle.blockedFor('attacker')).toBeGreaterThan(0);
    }
    expect(throttle.blockedFor('10.0.0.0')).toBe(0);
  });

  it('is off at 0', () => {
    const throttle = createAuthThrottle({ perMinute: 0, now: () => 0 });
    for (let i = 0; i < 100; i += 1) throttle.failed('a');
    expect(throttle.blockedFor('a')).toBe(0);
    expect(throttle.size).toBe(0);
  });
});

describe('TRUST_PROXY', () => {
  const trust = (TRUST_PROXY?: string): unknown => loadConfig({ TRUST_PROXY }).TRUST_PROXY;

  it('trusts no proxy by default, so X-Forwarded-For cannot choose the address', () => {
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
  });

  it('takes true, a hop count, or proxy addresses and ranges', () => {
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.5, 10.1.0.0/16,::1, fd00::/8')).toEqual([
      '10.0.0.5',
      '10.1.0.0/16',
      '::1',
      'fd00::/8',
    ]);
  });

  it.each(['yes', '10.0.0.300', '10.0.0.0/33', 'proxy.example.com', '10.0.0.1/8/1'])(
    'refuses %s',
    (value) => {
      expect(() => trust(value)).toThrow(/TRUST_PROXY: must be false, true, a hop count/);
    },
  );
});

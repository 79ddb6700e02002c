import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../../api/http/rate-limit';

describe('the per-key token bucket', () => {
  it('allows a full bucket at once, then one request per refill interval', () => {
    let now = 0;
    const limiter = createRateLimiter(60, () => now);
    for (let i = 0; i < 60; i += 1) expect(limiter.take('k').allowed).toBe(true);
    const denied = limiter.take('k');
    expect(denied).toEqual({ allowed: false, limit: 60, remaining: 0, retryAfterSeconds: 1 });
    now += 999;
    expect(limiter.take('k').allowed).toBe(false);
    now += 1;
    expect(limiter.take('k')).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('keeps each key to its own bucket', () => {
    const limiter = createRateLimiter(2, () => 0);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')].map((d) => d.allowed)).toEqual(
      [true, true, false],
    );
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('tells how long to wait: never 0, never more than one refill interval', () => {
    let now = 0;
    const limiter = createRateLimiter(6, () => now);
    for (let i = 0; i < 6; i += 1) limiter.take('k');
    const denied = limiter.take('k');
    expect(denied.retryAfterSeconds).toBe(10);
    now += denied.retryAfterSeconds * 1000;
    expect(limiter.take('k').allowed).toBe(true);
  });

  it('never allows more than the limit plus the refill over any stretch of time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { maxLength: 300 }),
        (perMinute, gaps) => {
          let now = 0;
          const limiter = createRateLimiter(perMinute, () => now);
          let allowed = 0;
          for (const gap of gaps) {
            now += gap;
            if (limiter.take('k').allowed) allowed += 1;
          }
          expect(allowed).toBeLessThanOrEqual(
            perMinute + Math.floor((now * perMinute) / 60_000) + 1,
          );
        },
      ),
    );
  });

  it('is off at 0', () => {
    const limiter = createRateLimiter(0, () => 0);
    for (let i = 0; i < 1000; i += 1) expect(limiter.take('k').allowed).toBe(true);
  });
});

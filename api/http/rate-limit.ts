// Per-key rate limit: a token bucket per API key, in memory (one bucket per configured key, so
// it never grows). Each API process limits on its own; behind a load balancer the limit is per process.

export interface RateDecision {
  allowed: boolean;
  limit: number;
  /** Whole requests left in the bucket after this one. */
  remaining: number;
  /** Seconds until a request would be allowed again (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  take(key: string): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** A bucket of `perMinute` tokens per key, refilled continuously; 0 disables the limit. */
export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;
  return {
    take(key) {
      if (perMinute === 0) return { allowed: true, limit: 0, remaining: 0, retryAfterSeconds: 0 };
      const at = now();
      const bucket = buckets.get(key) ?? { tokens: perMinute, updatedAt: at };
      bucket.tokens = Math.min(
        perMinute,
        bucket.tokens + Math.max(at - bucket.updatedAt, 0) * perMs,
      );
      bucket.updatedAt = at;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return {
          allowed: true,
          limit: perMinute,
          remaining: Math.floor(bucket.tokens),
          retryAfterSeconds: 0,
        };
      }
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / perMs / 1000));
      return { allowed: false, limit: perMinute, remaining: 0, retryAfterSeconds };
    },
  };
}

// Failed authentication, throttled per client address: each 401 takes a token from the address's
// bucket, and while the bucket is empty the address is answered 429 before its key is looked at
// (so guessing learns nothing more), its body is read or its key's rate limit is touched.
// Memory is bounded: the least recently failing addresses are forgotten first.

export interface AuthThrottle {
  /** Seconds until the address may try a key again; 0 when it may now. */
  blockedFor(address: string): number;
  /** Records a failed authentication from the address. */
  failed(address: string): void;
  /** How many addresses are remembered (never more than maxAddresses). */
  readonly size: number;
}

export interface AuthThrottleOptions {
  /** Failed attempts an address may make at once, refilled at this rate per minute; 0 disables. */
  perMinute: number;
  /** Addresses remembered at most; each costs a few dozen bytes. */
  maxAddresses?: number;
  now?: () => number;
}

export const DEFAULT_MAX_ADDRESSES = 10_000;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createAuthThrottle({
  perMinute,
  maxAddresses = DEFAULT_MAX_ADDRESSES,
  now = Date.now,
}: AuthThrottleOptions): AuthThrottle {
  // Map iteration follows insertion order: re-inserting on each failure keeps it least-recent first.
  const buckets = new Map<string, Bucket>();
  const perMs = perMinute / 60_000;

  const refilled = (bucket: Bucket, at: number): number =>
    Math.min(perMinute, bucket.tokens + Math.max(at - bucket.updatedAt, 0) * perMs);

  return {
    blockedFor(address) {
      const bucket = buckets.get(address);
      if (perMinute === 0 || !bucket) return 0;
      const tokens = refilled(bucket, now());
      if (tokens >= 1) return 0;
      return Math.max(1, Math.ceil((1 - tokens) / perMs / 1000));
    },
    failed(address) {
      if (perMinute === 0) return;
      const at = now();
      const bucket = buckets.get(address);
      const tokens = bucket ? refilled(bucket, at) : perMinute;
      buckets.delete(address);
      buckets.set(address, { tokens: Math.max(tokens - 1, 0), updatedAt: at });
      for (const oldest of buckets.keys()) {
        if (buckets.size <= maxAddresses) break;
        buckets.delete(oldest);
      }
    },
    get size() {
      return buckets.size;
    },
  };
}

/**
 * Per-subject rate limit as an in-memory token bucket: `capacity` calls at once, refilled at
 * `refillPerSecond`. One process's memory is the scope, so N servers allow N times the rate; a
 * shared limit (Redis) is not needed while providers enforce their own limits upstream.
 */

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterMs: number };

export interface RateLimiter {
  take(key: string): RateLimitDecision;
}

export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
  now?: () => number;
  /** Buckets kept before full ones are dropped, so one-off subjects cannot grow memory unbounded. */
  maxKeys?: number;
}

export const defaultRateLimit = { capacity: 60, refillPerSecond: 2 } as const;

interface Bucket {
  tokens: number;
  updatedAt: number;
}

export function createTokenBucketRateLimiter(options: TokenBucketOptions): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  const buckets = new Map<string, Bucket>();

  function refill(bucket: Bucket, at: number): void {
    const elapsedSeconds = Math.max(0, at - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(options.capacity, bucket.tokens + elapsedSeconds * options.refillPerSecond);
    bucket.updatedAt = at;
  }

  function evictFullBuckets(at: number): void {
    for (const [key, bucket] of buckets) {
      refill(bucket, at);
      if (bucket.tokens >= options.capacity) buckets.delete(key);
    }
  }

  return {
    take(key) {
      const at = now();
      let bucket = buckets.get(key);
      if (bucket === undefined) {
        if (buckets.size >= maxKeys) evictFullBuckets(at);
        bucket = { tokens: options.capacity, updatedAt: at };
        buckets.set(key, bucket);
      }
      refill(bucket, at);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return { allowed: true };
      }
      const retryAfterMs = Math.ceil(((1 - bucket.tokens) / options.refillPerSecond) * 1000);
      return { allowed: false, retryAfterMs };
    },
  };
}

import { describe, expect, it } from 'vitest';
import { createTokenBucketRateLimiter } from './token-bucket-rate-limiter.js';

describe('createTokenBucketRateLimiter', () => {
  it('allows a burst of capacity, then refuses with the wait until the next token', () => {
    let now = 0;
    const limiter = createTokenBucketRateLimiter({ capacity: 3, refillPerSecond: 2, now: () => now });
    expect([1, 2, 3].map(() => limiter.take('alice').allowed)).toEqual([true, true, true]);
    expect(limiter.take('alice')).toEqual({ allowed: false, retryAfterMs: 500 });
    expect(limiter.take('bob').allowed).toBe(true);
    now += 500;
    expect(limiter.take('alice').allowed).toBe(true);
    expect(limiter.take('alice').allowed).toBe(false);
  });

  it('never refills past capacity and keeps a bounded number of buckets', () => {
    let now = 0;
    const limiter = createTokenBucketRateLimiter({
      capacity: 2,
      refillPerSecond: 1,
      now: () => now,
      maxKeys: 2,
    });
    limiter.take('a');
    now += 60_000;
    expect([limiter.take('a').allowed, limiter.take('a').allowed, limiter.take('a').allowed]).toEqual([
      true,
      true,
      false,
    ]);
    for (const key of ['b', 'c', 'd']) expect(limiter.take(key).allowed).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, retryDelay } from './retry-delay.js';

const policy = { baseDelayMs: 1_000, maxDelayMs: 8_000, minDelayMs: 100 };

describe('retryDelay', () => {
  it('grows the ceiling exponentially with the attempt', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelay({ attempt, random: 0.999999 }, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000,
    ]);
  });

  it('caps the delay at maxDelayMs', () => {
    expect(retryDelay({ attempt: 30, random: 0.999999 }, policy)).toBe(8_000);
  });

  it('draws uniformly between the floor and the ceiling (full jitter)', () => {
    expect(retryDelay({ attempt: 3, random: 0 }, policy)).toBe(100);
    expect(retryDelay({ attempt: 3, random: 0.5 }, policy)).toBe(2_050);
  });

  it('never waits less than retry-after, even beyond the cap', () => {
    expect(retryDelay({ attempt: 1, random: 0, retryAfterMs: 20_000 }, policy)).toBe(20_000);
    expect(retryDelay({ attempt: 4, random: 0.999999, retryAfterMs: 10 }, policy)).toBe(8_000);
  });

  it('has a sane default policy', () => {
    const delay = retryDelay({ attempt: 1, random: 0.5 });
    expect(delay).toBeGreaterThanOrEqual(defaultRetryPolicy.minDelayMs);
    expect(delay).toBeLessThanOrEqual(defaultRetryPolicy.baseDelayMs);
  });
});

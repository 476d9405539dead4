import { describe, expect, it } from 'vitest';
import { decideUpstreamRetry, defaultRetryPolicy, type FailedAttempt } from './upstream-retry.js';

const failure = (overrides: Partial<FailedAttempt>): FailedAttempt => ({
  status: 500,
  retryAfterMs: undefined,
  errorType: undefined,
  ...overrides,
});

describe('decideUpstreamRetry', () => {
  it('retries 408, 429, 5xx, 529 and connection failures', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 529, undefined]) {
      expect(decideUpstreamRetry(failure({ status }), 1).action).toBe('retry');
    }
  });

  it('does not retry other client errors', () => {
    for (const status of [400, 401, 403, 404, 413, 422]) {
      expect(decideUpstreamRetry(failure({ status }), 1)).toEqual({
        action: 'give_up',
        reason: 'not_retryable',
      });
    }
  });

  it('never retries a spend limit, whatever the status', () => {
    expect(decideUpstreamRetry(failure({ status: 429, errorType: 'insufficient_quota' }), 1)).toEqual({
      action: 'give_up',
      reason: 'spend_limit',
    });
    expect(decideUpstreamRetry(failure({ status: 400, errorType: 'billing_error' }), 1).action).toBe(
      'give_up',
    );
  });

  it('waits exactly as long as retry-after asks, up to the maximum wait', () => {
    expect(decideUpstreamRetry(failure({ status: 429, retryAfterMs: 3000 }), 1)).toEqual({
      action: 'retry',
      delayMs: 3000,
    });
    expect(decideUpstreamRetry(failure({ status: 429, retryAfterMs: 10_000 }), 1).action).toBe('retry');
  });

  it('hands a retry-after beyond the maximum wait back to the caller', () => {
    expect(decideUpstreamRetry(failure({ status: 429, retryAfterMs: 20_000 }), 1)).toEqual({
      action: 'give_up',
      reason: 'retry_after_too_long',
    });
  });

  it('stops after maxAttempts', () => {
    expect(decideUpstreamRetry(failure({ status: 529 }), defaultRetryPolicy.maxAttempts)).toEqual({
      action: 'give_up',
      reason: 'attempts_exhausted',
    });
  });

  it('backs off exponentially with jitter between half and all of the ceiling', () => {
    const policy = { ...defaultRetryPolicy, maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    const delay = (attempt: number, random: number) => {
      const decision = decideUpstreamRetry(failure({}), attempt, policy, random);
      return decision.action === 'retry' ? decision.delayMs : -1;
    };
    expect([delay(1, 0), delay(1, 0.999)]).toEqual([50, 100]);
    expect([delay(2, 0), delay(3, 0)]).toEqual([100, 200]);
    expect(delay(8, 0.999)).toBe(1000);
  });
});

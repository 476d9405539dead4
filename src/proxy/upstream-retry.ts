/**
 * Whether to try an upstream (provider) call again, as a pure decision over what the attempt
 * produced. The proxy only retries before the first byte reached its client, so this is asked only
 * about attempts that failed before a response started streaming.
 */

export interface RetryPolicy {
  /** Attempts in total, the first included (3 = up to two retries). */
  maxAttempts: number;
  /** First backoff; doubles per attempt, with jitter, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * Longest `retry-after` the proxy sits out itself. A longer one is handed to the caller (HTTP 429
   * plus the header) so an agent loop decides, instead of a request hanging for minutes.
   */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4000,
  maxRetryAfterMs: 10_000,
};

/** What one failed attempt looked like. `status` is undefined for connection errors and timeouts. */
export interface FailedAttempt {
  status: number | undefined;
  /** From `retry-after-ms` / `retry-after`. */
  retryAfterMs: number | undefined;
  /** Provider error type or code from the body (`rate_limit_error`, `insufficient_quota`...). */
  errorType: string | undefined;
}

export type RetryDecision =
  | { action: 'retry'; delayMs: number }
  | {
      action: 'give_up';
      reason: 'not_retryable' | 'spend_limit' | 'attempts_exhausted' | 'retry_after_too_long';
    };

/** 408 timeout, 429 rate limit, every 5xx and Anthropic's 529 "overloaded". */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Spend limits look like rate limits (OpenAI answers 429 `insufficient_quota`) but waiting does not
 * lift them: retrying only burns time before the same answer.
 */
const spendLimitTypes = new Set(['insufficient_quota', 'billing_error', 'billing_hard_limit_reached']);

export function isSpendLimit(errorType: string | undefined): boolean {
  return errorType !== undefined && spendLimitTypes.has(errorType);
}

/**
 * @param attemptsMade attempts already made, the failed one included (1 after the first failure).
 * @param random a number in [0, 1) for jitter; tests pass a fixed one.
 */
export function decideUpstreamRetry(
  failure: FailedAttempt,
  attemptsMade: number,
  policy: RetryPolicy = defaultRetryPolicy,
  random: number = Math.random(),
): RetryDecision {
  if (isSpendLimit(failure.errorType)) return { action: 'give_up', reason: 'spend_limit' };
  if (failure.status !== undefined && !isRetryableStatus(failure.status)) {
    return { action: 'give_up', reason: 'not_retryable' };
  }
  if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs) {
    return { action: 'give_up', reason: 'retry_after_too_long' };
  }
  if (attemptsMade >= policy.maxAttempts) return { action: 'give_up', reason: 'attempts_exhausted' };
  if (failure.retryAfterMs !== undefined) return { action: 'retry', delayMs: failure.retryAfterMs };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptsMade - 1));
  // "Equal jitter": at least half the backoff, so retries of many callers spread without collapsing to 0.
  return { action: 'retry', delayMs: Math.round(ceiling / 2 + (ceiling / 2) * random) };
}

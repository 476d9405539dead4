/**
 * How long to wait before retry `attempt` of a model call. Exponential growth with "full jitter"
 * (a uniform draw below the exponential ceiling, as in AWS's backoff study) spreads a crowd of
 * clients that failed together, with a small floor so a retry is never instantaneous. A provider's
 * `retry-after` is a promise about when capacity returns, so the delay is never shorter than it.
 */

export interface RetryPolicy {
  /** Ceiling of the first retry's delay. */
  baseDelayMs: number;
  /** No jittered delay exceeds this (a larger `retry-after` still wins). */
  maxDelayMs: number;
  /** Floor of every jittered delay. */
  minDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { baseDelayMs: 1_000, maxDelayMs: 30_000, minDelayMs: 250 };

export interface RetryDelayInput {
  /** 1 for the first retry. */
  attempt: number;
  /** From the provider's `retry-after`, when it sent one. */
  retryAfterMs?: number;
  /** A uniform draw in [0, 1): passed in so the function stays pure. */
  random: number;
}

export function retryDelay(input: RetryDelayInput, policy: RetryPolicy = defaultRetryPolicy): number {
  const exponent = Math.max(0, input.attempt - 1);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent);
  const floor = Math.min(policy.minDelayMs, ceiling);
  const random = Math.min(Math.max(input.random, 0), 1);
  const jittered = Math.round(floor + random * (ceiling - floor));
  return Math.max(jittered, Math.ceil(input.retryAfterMs ?? 0));
}

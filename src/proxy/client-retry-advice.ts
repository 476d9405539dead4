/**
 * What a failure answer tells the caller's SDK about retrying, in `x-should-retry` (read by the
 * official Anthropic and OpenAI SDKs, which otherwise retry every 408/409/429/5xx twice on their own).
 *
 * Loom has already retried the provider before answering with its failure: an SDK retrying on top
 * multiplies the calls to a provider that is failing (3 × 3 instead of 3), resends a spend-limit
 * refusal that waiting does not lift, and resends a non-streamed call that timed out while the
 * provider may still be generating (and billing) the first one. A failure of Loom's own (a store
 * outage, its rate limit) was not retried: there the error's `retryable` decides.
 */
import type { UpstreamResult } from './fetch-with-retry.js';

export const shouldRetryHeader = 'x-should-retry';

/**
 * For the provider's own failure, relayed after the retry loop gave up. A `retry-after` longer than
 * Loom waits itself is the one case left to the SDK: it waits as asked and tries again.
 */
export function adviceForProviderFailure(giveUp: NonNullable<UpstreamResult['giveUp']>): boolean | undefined {
  return giveUp === 'retry_after_too_long' ? undefined : false;
}

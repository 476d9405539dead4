/**
 * A usage event for the proxy's unit tests: one call of subject `alice` on `tokenId` costing
 * `costUsd`; everything else fixed unless `overrides` says otherwise. Shared so the tests of the
 * ledger, the spend cache, the store and the usage report build the same event.
 */
import type { UsageEvent } from './usage-ledger.js';

export function usageEventFixture(
  tokenId: string,
  costUsd: number,
  overrides: Partial<UsageEvent> = {},
): UsageEvent {
  return {
    at: new Date(),
    subject: 'alice',
    tokenId,
    jobId: undefined,
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    route: 'stream',
    inputTokens: 1,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    outputTokens: 1,
    costUsd,
    latencyMs: 1,
    status: 'ok',
    httpStatus: 200,
    errorCode: undefined,
    ...overrides,
  };
}

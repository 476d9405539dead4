export { createProxyRouter, proxyDirectRoutes } from './create-proxy-router.js';
export type { ProxyDirectRoute } from './create-proxy-router.js';
export { proxyBodyLimitBytes } from './proxy-deps.js';
export type { ProxyCallHandler } from './proxy-deps.js';
export { defaultProxyTimeouts } from './proxy-deps.js';
export type { ProxyDeps, ProxyTimeouts, TokenVerifier, UpstreamConfig } from './proxy-deps.js';
export { createProxyLlmClient } from './proxy-llm-client.js';
export type { ProxyLlmClientOptions } from './proxy-llm-client.js';
export { createMemoryUsageLedger } from './usage-ledger.js';
export type {
  MemoryUsageLedger,
  ProxyProvider,
  ProxyRoute,
  SpendScope,
  UsageEvent,
  UsageLedger,
  UsageStatus,
} from './usage-ledger.js';
export { createTokenBucketRateLimiter, defaultRateLimit } from './token-bucket-rate-limiter.js';
export type { RateLimitDecision, RateLimiter, TokenBucketOptions } from './token-bucket-rate-limiter.js';
export {
  decideUpstreamRetry,
  defaultRetryPolicy,
  isRetryableStatus,
  isSpendLimit,
} from './upstream-retry.js';
export type { FailedAttempt, RetryDecision, RetryPolicy } from './upstream-retry.js';
export { createSseParser } from './sse-parser.js';
export type { SseEvent, SseParser } from './sse-parser.js';
export { createProxyFromConfig, defaultModelsFromConfig } from './create-proxy-from-config.js';
export type { ProxyFromConfig, ProxyFromConfigInput } from './create-proxy-from-config.js';
export { createBatchingUsageLedger } from './batching-usage-ledger.js';
export type { BatchableUsageLedger, BatchingOptions, BatchingUsageLedger } from './batching-usage-ledger.js';
export { defaultBatching } from './batching-usage-ledger.js';
export { Cancellation, type CancelSignal } from './cancellation.js';
export { createUndiciUpstreamFetch, defaultUpstreamFetch } from './undici-upstream-fetch.js';
export type { UndiciUpstreamFetchOptions } from './undici-upstream-fetch.js';
export { readBodyText } from './upstream-fetch.js';
export type { UpstreamFetch, UpstreamFetchInit, UpstreamResponse } from './upstream-fetch.js';
export { createProxyMetrics } from './proxy-metrics.js';
export type { ProxyMetrics } from './proxy-metrics.js';
export {
  defaultUsageWindow,
  parseUsageReportQuery,
  usageGroupings,
  usageReportAnswer,
  usageReportRowLimit,
} from './usage-report.js';
export type {
  UsageGrouping,
  UsageReportAnswer,
  UsageReporter,
  UsageReportQuery,
  UsageReportRow,
} from './usage-report.js';
export { createUsageRouter } from './create-usage-router.js';
export type { UsageRouterDeps } from './create-usage-router.js';

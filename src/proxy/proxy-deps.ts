import type { IncomingMessage, ServerResponse } from 'node:http';
/** Everything the proxy router needs, passed in by the composition root (the server command). */
import type { RevocationList, TokenClaims } from '../auth/index.js';
import type { ModelPrice } from '../llm/index.js';
import type { Logger } from '../logging/index.js';
import type { CancelSignal } from './cancellation.js';
import type { ProxyMetrics } from './proxy-metrics.js';
import type { UpstreamFetch } from './upstream-fetch.js';
import type { RateLimiter } from './token-bucket-rate-limiter.js';
import type { RetryPolicy } from './upstream-retry.js';
import type { ProxyProvider, UsageLedger } from './usage-ledger.js';

/** One provider as configured on the server. The key never leaves the proxy. */
export interface UpstreamConfig {
  /** Undefined: the provider is not configured, and its routes answer 503. */
  apiKey: string | undefined;
  /** Undefined: the provider's public API. */
  baseUrl: string | undefined;
}

export interface TokenVerifier {
  verify(token: string | undefined): TokenClaims;
}

export interface ProxyTimeouts {
  /** Longest wait for a streamed call's response headers, per attempt (default 60 s). */
  firstByteMs: number;
  /**
   * Longest wait for a non-streamed call's response headers (default 600 s, the official SDKs' own
   * timeout). A provider sends them only once the whole answer is generated, which can take
   * minutes; when it passes, the call is not sent again, since the provider may still be generating
   * (and billing) the first one.
   */
  answerMs: number;
  /** Longest silence inside a response body before the stream is cut with an error (default 120 s). */
  idleMs: number;
}

export interface ProxyDeps {
  tokens: TokenVerifier;
  revocations: RevocationList;
  usage: UsageLedger;
  upstream: Record<ProxyProvider, UpstreamConfig>;
  /** What `model: "default"` means per provider (model name without the provider prefix). */
  defaultModels: Partial<Record<ProxyProvider, string>>;
  rateLimiter: RateLimiter;
  logger: Logger;
  /** Prometheus counters of calls, tokens and cost; none when undefined. */
  metrics?: ProxyMetrics;
  /** The price table calls are metered with (LOOM_MODEL_PRICES); default the built-in one. */
  prices?: Readonly<Record<string, ModelPrice>>;
  /** The HTTP client to providers; default `defaultUpstreamFetch` (undici, keep-alive). */
  fetch?: UpstreamFetch;
  timeouts?: Partial<ProxyTimeouts>;
  retryPolicy?: RetryPolicy;
  /** Waits between retries; tests shorten it. */
  sleep?: (ms: number, signal: CancelSignal) => Promise<void>;
  now?: () => number;
}

export const defaultProxyTimeouts: ProxyTimeouts = {
  firstByteMs: 60_000,
  answerMs: 600_000,
  idleMs: 120_000,
};

/** Requests carry whole conversations; 32 MiB leaves room for long agent runs. */
export const proxyBodyLimitBytes = 32 * 1024 * 1024;

/** One proxy route: the whole call on node's own request and response, token check included. */
export type ProxyCallHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

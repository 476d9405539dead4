/**
 * Wiring for the server's composition root: the proxy router from the configuration, the store and
 * a logger. Token keys come from LOOM_JWT_SECRET or `<dataDir>/jwt-secret` (or key files), the same
 * place `loom token create` and the workers look, so their tokens verify here. Metering goes
 * through the batching ledger; `close()` writes what is pending (call it on shutdown). The hot path
 * touches no database on most calls: token claims are cached per token until `exp`, "not revoked"
 * answers for `revocationCacheMs`, and budget spend for the ledger's `spendCacheMs`.
 */
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import {
  createCachedRevocationList,
  createCachingTokenVerifier,
  createTokenService,
  defaultRevocationCacheMs,
  loadTokenKeys,
} from '../auth/index.js';
import { defaultAnthropicModel, defaultOpenAiModel, type LoomConfig } from '../config/index.js';
import { parseModelRef, readModelPricesFile } from '../llm/index.js';
import type { Logger } from '../logging/index.js';
import type { Store } from '../store/index.js';
import { createBatchingUsageLedger, type BatchableUsageLedger } from './batching-usage-ledger.js';
import { createProxyRouter, proxyDirectRoutes, type ProxyDirectRoute } from './create-proxy-router.js';
import type { ProxyDeps } from './proxy-deps.js';
import { createProxyMetrics } from './proxy-metrics.js';
import { createUndiciUpstreamFetch } from './undici-upstream-fetch.js';
import { describeOutboundProxy } from '../outbound/index.js';
import { createTokenBucketRateLimiter, defaultRateLimit } from './token-bucket-rate-limiter.js';
import type { ProxyProvider } from './usage-ledger.js';

export interface ProxyFromConfigInput {
  config: Pick<
    LoomConfig,
    | 'jwtSecret'
    | 'jwtKeyFiles'
    | 'dataDir'
    | 'anthropic'
    | 'openai'
    | 'model'
    | 'outboundProxy'
    | 'modelPricesFile'
  >;
  store: { usage: BatchableUsageLedger; revocations: Store['revocations'] };
  logger: Logger;
  /**
   * PEM key files, when tokens are signed asymmetrically (a public key is enough to verify); default
   * `config.jwtKeyFiles` (LOOM_JWT_PRIVATE_KEY_PATH / LOOM_JWT_PUBLIC_KEY_PATH).
   */
  tokenKeyFiles?: { privateKeyPath?: string; publicKeyPath?: string };
  /**
   * How long a "not revoked" answer from the store is trusted (default 1 s): a token revoked with
   * `loom token revoke` or on another server is refused within this delay. 0: the store on every call.
   */
  revocationCacheMs?: number;
  /** The server's Prometheus registry (`/metrics`): the proxy's call, token and cost counters go there. */
  registry?: Registry;
  /** Overrides for tests and tuning (timeouts, retry policy, rate limiter...). */
  overrides?: Partial<ProxyDeps>;
}

export interface ProxyFromConfig {
  /** Mount at `/proxy`. */
  router: Router;
  /** The native routes under `/proxy`, for the server to serve before express. */
  directRoutes: ProxyDirectRoute[];
  deps: ProxyDeps;
  /** Writes pending usage events; the router keeps working (later events are written at once). */
  close(): Promise<void>;
}

export async function createProxyFromConfig(input: ProxyFromConfigInput): Promise<ProxyFromConfig> {
  const keys = await loadTokenKeys({
    jwtSecret: input.config.jwtSecret,
    dataDir: input.config.dataDir,
    ...(input.tokenKeyFiles ?? input.config.jwtKeyFiles),
  });
  const logger = input.logger.child({ component: 'proxy' });
  const usage = createBatchingUsageLedger(input.store.usage, { logger });
  const { outboundProxy } = input.config;
  if (outboundProxy !== undefined) {
    logger.info({ outboundProxy: describeOutboundProxy(outboundProxy) }, 'provider calls go through a proxy');
  }
  const deps: ProxyDeps = {
    // Each token's signature is checked once, then its claims are reused until it expires.
    tokens: createCachingTokenVerifier(createTokenService({ keys })),
    revocations: createCachedRevocationList(input.store.revocations, {
      ttlMs: input.revocationCacheMs ?? defaultRevocationCacheMs,
    }),
    usage,
    upstream: { anthropic: input.config.anthropic, openai: input.config.openai },
    defaultModels: defaultModelsFromConfig(input.config.model),
    rateLimiter: createTokenBucketRateLimiter(defaultRateLimit),
    logger,
    ...(input.registry === undefined ? {} : { metrics: createProxyMetrics(input.registry) }),
    ...(outboundProxy === undefined ? {} : { fetch: createUndiciUpstreamFetch({ outboundProxy }) }),
    ...(input.config.modelPricesFile === undefined
      ? {}
      : { prices: readModelPricesFile(input.config.modelPricesFile) }),
    ...input.overrides,
  };
  return {
    router: createProxyRouter(deps),
    directRoutes: proxyDirectRoutes(deps),
    deps,
    close: () => usage.close(),
  };
}

/** `model: "default"` per provider: LOOM_MODEL for its own provider, Loom's built-in default for the other. */
export function defaultModelsFromConfig(configuredModel: string | undefined): Record<ProxyProvider, string> {
  const defaults: Record<ProxyProvider, string> = {
    anthropic: parseModelRef(defaultAnthropicModel).model,
    openai: parseModelRef(defaultOpenAiModel).model,
  };
  if (configuredModel !== undefined) {
    const { provider, model } = parseModelRef(configuredModel);
    if (provider === 'anthropic' || provider === 'openai') defaults[provider] = model;
  }
  return defaults;
}

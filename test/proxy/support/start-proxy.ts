/**
 * The proxy as tests run it, wired as the server wires it: the native routes served before express
 * (`withDirectRoutes`), the rest by the real router on a real express app, listening on loopback;
 * real tokens, pointed at a fake provider. `via: 'express'` serves every route through the router. Log lines are captured so tests can read what was logged.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import express from 'express';
import {
  createMemoryRevocationList,
  createSecretTokenKeys,
  createTokenService,
  type MintTokenInput,
  type RevocationList,
  type TokenKeys,
  type TokenService,
} from '../../../src/auth/index.js';
import { createLogger } from '../../../src/logging/index.js';
import {
  createMemoryUsageLedger,
  createProxyRouter,
  proxyDirectRoutes,
  createTokenBucketRateLimiter,
  type ProxyDeps,
  type UsageLedger,
} from '../../../src/proxy/index.js';
import { createMetrics, withDirectRoutes } from '../../../src/server/index.js';
import { anthropicKey, openAiKey } from './fake-provider.js';

export const testJwtSecret = 'proxy-test-secret-0123456789-abcdefghijklmnop';

export interface ProxyHarness {
  url: string;
  tokens: TokenService;
  /** A token for the proxy (user `alice`, 1 h) with overrides. */
  mint(input?: Partial<MintTokenInput>): string;
  usage: UsageLedger;
  revocations: RevocationList;
  logLines: string[];
  close(): Promise<void>;
}

export interface StartProxyOptions {
  upstreamUrl: string;
  keys?: TokenKeys;
  usage?: UsageLedger;
  revocations?: RevocationList;
  deps?: Partial<ProxyDeps>;
  /** `direct` (default): native routes before express, as `loom start` serves them. */
  via?: 'direct' | 'express';
}

export async function startProxy(options: StartProxyOptions): Promise<ProxyHarness> {
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logLines.push(chunk.toString('utf8'));
      callback();
    },
  });
  const tokens = createTokenService({ keys: options.keys ?? createSecretTokenKeys(testJwtSecret) });
  const usage = options.usage ?? createMemoryUsageLedger();
  const revocations = options.revocations ?? createMemoryRevocationList();
  const deps: ProxyDeps = {
    tokens,
    revocations,
    usage,
    upstream: {
      anthropic: { apiKey: anthropicKey, baseUrl: options.upstreamUrl },
      openai: { apiKey: openAiKey, baseUrl: `${options.upstreamUrl}/v1` },
    },
    defaultModels: { anthropic: 'claude-sonnet-4-6', openai: 'gpt-4.1' },
    rateLimiter: createTokenBucketRateLimiter({ capacity: 1000, refillPerSecond: 1000 }),
    logger: createLogger({ level: 'debug', destination }),
    retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40, maxRetryAfterMs: 10_000 },
    timeouts: { firstByteMs: 5_000, idleMs: 5_000 },
    ...options.deps,
  };
  const app = express();
  app.use('/proxy', createProxyRouter(deps));
  const direct = options.via === 'express' ? [] : proxyDirectRoutes(deps);
  const metrics = createMetrics({ defaultMetrics: false });
  const server = createServer(withDirectRoutes(direct, app, { logger: deps.logger, metrics }));
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tokens,
    mint: (input = {}) => tokens.mint({ subject: 'alice', ttlSeconds: 3600, ...input }).token,
    usage,
    revocations,
    logLines,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Reads an SSE response of the normalized routes into its `llm` events. */
export async function readLlmEvents(
  response: Response,
): Promise<Array<{ type: string; [key: string]: unknown }>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((frame) => frame.includes('event: llm'))
    .map((frame) =>
      JSON.parse(
        frame
          .split('\n')
          .find((line) => line.startsWith('data: '))!
          .slice(6),
      ),
    );
}

export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

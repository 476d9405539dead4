/**
 * Child process: Loom's proxy wired the way `loom start` wires it (`createProxyFromConfig`: token
 * verification, revocation and budget checks, metering through the batching ledger into a real
 * SQLite store and the Prometheus counters; the server's express app with request logging and metrics, the native routes served
 * before it; a log line per call and one per request), pointed at the mock upstream. Prints
 * `{"ready": true, "url", "token"}` once listening. `memory` as second argument meters in memory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createTokenService, loadTokenKeys } from '../../src/auth/index.js';
import { createLogger } from '../../src/logging/index.js';
import {
  createMemoryUsageLedger,
  createProxyFromConfig,
  createTokenBucketRateLimiter,
} from '../../src/proxy/index.js';
import { createHttpApp, createMetrics, startHttpServer, withDirectRoutes } from '../../src/server/index.js';
import { openStore } from '../../src/store/index.js';
import { mockApiKey } from './mock-upstream.js';
// Records each call's phases when LOOM_BENCH_PHASES is set (slow-call-phases.ts); otherwise nothing.
import './call-phase-recorder.js';

const upstreamUrl = process.argv[2] as string;
const dataDir = await mkdtemp(join(tmpdir(), 'loom-proxy-bench-'));
const store = await openStore({ dataDir });
const config = {
  jwtSecret: randomBytes(32).toString('base64url'),
  dataDir,
  anthropic: { apiKey: mockApiKey, baseUrl: upstreamUrl },
  openai: { apiKey: undefined, baseUrl: undefined },
  model: 'anthropic/claude-sonnet-4-6',
};
// One line per call, written synchronously as to a server's stdout (a file or a pipe), into /dev/null.
const logger = createLogger({
  level: 'info',
  destination: pino.destination({ dest: '/dev/null', sync: true }),
});
const metrics = createMetrics();
const proxy = await createProxyFromConfig({
  config,
  store:
    process.argv[3] === 'memory'
      ? { usage: createMemoryUsageLedger(), revocations: store.revocations }
      : store,
  logger,
  registry: metrics.registry,
  // One subject firing thousands of calls: the per-subject limit is lifted for the benchmark.
  overrides: { rateLimiter: createTokenBucketRateLimiter({ capacity: 1e9, refillPerSecond: 1e9 }) },
});
const app = createHttpApp({
  logger,
  metrics,
  healthChecks: [],
  integrations: { models: 'enabled' },
  routes: [{ path: '/proxy', router: proxy.router }],
});
const server = await startHttpServer(withDirectRoutes(proxy.directRoutes, app, { logger, metrics }), {
  port: 0,
  host: '127.0.0.1',
});
const tokens = createTokenService({ keys: await loadTokenKeys({ jwtSecret: config.jwtSecret, dataDir }) });
// A budget is set so each call pays for the budget query, as job tokens do.
const { token } = tokens.mint({
  subject: 'bench',
  role: 'job',
  jobId: 'bench',
  ttlSeconds: 3600,
  budgetUsd: 1e6,
});
process.stdout.write(`${JSON.stringify({ ready: true, url: server.url, token })}\n`);
const shutdown = async (): Promise<void> => {
  await server.close(1000);
  await proxy.close();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
// The benchmark holds our stdin open; when it goes away (even killed), stdin ends and so do we.
process.stdin.on('end', () => void shutdown());
process.stdin.resume();

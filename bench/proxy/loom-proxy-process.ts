/**
 * Child process: Loom's proxy wired the way the server wires it (`createProxyFromConfig`: token
 * verification, revocation and budget checks, metering through the batching ledger into a real
 * SQLite store, one log line per call), pointed at the mock upstream. Prints
 * `{"ready": true, "url", "token"}` once listening. `memory` as second argument meters in memory.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import pino from 'pino';
import { createTokenService, loadTokenKeys } from '../../src/auth/index.js';
import { createLogger } from '../../src/logging/index.js';
import {
  createMemoryUsageLedger,
  createProxyFromConfig,
  createTokenBucketRateLimiter,
} from '../../src/proxy/index.js';
import { openStore } from '../../src/store/index.js';
import { mockApiKey } from './mock-upstream.js';

const upstreamUrl = process.argv[2] as string;
const dataDir = await mkdtemp(join(tmpdir(), 'loom-proxy-bench-'));
const store = await openStore({ dataDir });
const config = {
  jwtSecret: randomBytes(32).toString('base64url'),
  dataDir,
  anthropic: { apiKey: mockApiKey, baseUrl: upstreamUrl },
  openai: { apiKey: undefined, baseUrl: undefined },
  model: 'anthropic/claude-sonnet-4-5',
};
const proxy = await createProxyFromConfig({
  config,
  store:
    process.argv[3] === 'memory'
      ? { usage: createMemoryUsageLedger(), revocations: store.revocations }
      : store,
  // One line per call, written synchronously as to a server's stdout (a file or a pipe), into /dev/null.
  logger: createLogger({ level: 'info', destination: pino.destination({ dest: '/dev/null', sync: true }) }),
  // One subject firing thousands of calls: the per-subject limit is lifted for the benchmark.
  overrides: { rateLimiter: createTokenBucketRateLimiter({ capacity: 1e9, refillPerSecond: 1e9 }) },
});
const app = express();
app.use('/proxy', proxy.router);
const server = app.listen(0, '127.0.0.1', () => {
  void (async () => {
    const { port } = server.address() as AddressInfo;
    const tokens = createTokenService({
      keys: await loadTokenKeys({ jwtSecret: config.jwtSecret, dataDir }),
    });
    // A budget is set so each call pays for the budget query, as job tokens do.
    const { token } = tokens.mint({
      subject: 'bench',
      role: 'job',
      jobId: 'bench',
      ttlSeconds: 3600,
      budgetUsd: 1e6,
    });
    process.stdout.write(`${JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}`, token })}\n`);
  })();
});
server.keepAliveTimeout = 60_000;
const shutdown = async (): Promise<void> => {
  server.close();
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

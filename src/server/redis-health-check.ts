/**
 * The Redis health check. It owns a dedicated connection with the offline queue off, so a ping fails
 * at once while Redis is down (instead of queueing until the timeout), and ioredis keeps reconnecting
 * in the background: `/healthz` turns 503 when Redis dies and 200 again when it is back, without a
 * restart of Loom.
 */
import { Redis } from 'ioredis';
import type { Logger } from '../logging/index.js';
import type { HealthCheck } from './health-check.js';
import { redactUrlCredentials } from './redact-url-credentials.js';

export interface RedisHealthCheckOptions {
  url: string;
  logger: Logger;
  /** Component name in `/healthz`; `redis` by default. */
  name?: string;
  /** Redis holds the queue, so it is critical by default. */
  critical?: boolean;
}

export interface RedisHealthCheck extends HealthCheck {
  /** Closes the check's connection (call on shutdown). */
  close(): Promise<void>;
}

const maxReconnectDelayMs = 2_000;

export function createRedisHealthCheck(options: RedisHealthCheckOptions): RedisHealthCheck {
  const client = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, maxReconnectDelayMs),
  });
  const outage = watchOutages(client, options.logger, options.name ?? 'redis');
  return {
    name: options.name ?? 'redis',
    critical: options.critical ?? true,
    async check(signal) {
      if (client.status === 'wait') client.connect().catch(() => {});
      if (client.status !== 'ready') await waitUntilReady(client, signal, outage);
      await client.ping();
    },
    async close() {
      client.disconnect();
    },
  };
}

/** The last connection error, or undefined while connected. */
type OutageReason = () => string | undefined;

/** One warning per outage and one line when it ends, rather than an error per reconnect attempt. */
function watchOutages(client: Redis, logger: Logger, name: string): OutageReason {
  let reason: string | undefined;
  client.on('error', (error: Error) => {
    const first = reason === undefined;
    reason = redactUrlCredentials(error.message);
    if (first) logger.warn({ component: name, reason }, 'redis unreachable');
  });
  client.on('ready', () => {
    if (reason === undefined) return;
    reason = undefined;
    logger.info({ component: name }, 'redis reachable again');
  });
  return () => reason;
}

const connectingStates = new Set(['wait', 'connecting', 'connect']);

/**
 * Waits for a connection attempt in progress (the health runner's signal bounds the wait); between
 * reconnect attempts (`reconnecting`) Redis is known to be down, so the check fails at once.
 */
function waitUntilReady(client: Redis, signal: AbortSignal | undefined, outage: OutageReason): Promise<void> {
  const notConnected = (): Error =>
    new Error(`not connected (${client.status}): ${outage() ?? 'no answer yet'}`);
  if (signal === undefined || !connectingStates.has(client.status)) return Promise.reject(notConnected());
  return new Promise<void>((resolve, reject) => {
    const settle = (error?: Error): void => {
      client.off('ready', onReady);
      client.off('close', onClose);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReady = (): void => settle();
    // A refused connection ends the attempt early: no need to sit out the whole timeout.
    const onClose = (): void => settle(notConnected());
    const onAbort = onClose;
    if (signal.aborted) return onAbort();
    client.once('ready', onReady);
    client.once('close', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

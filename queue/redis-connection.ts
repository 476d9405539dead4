/**
 * Redis connection settings for the two kinds of BullMQ client, as ioredis options.
 *
 * - Workers wait out an outage: `maxRetriesPerRequest: null` (BullMQ requires it for blocking
 *   commands) and the offline queue on, so they resume by themselves when Redis is back.
 * - Producers fail fast (BullMQ's "failing fast when Redis is down" pattern): no offline queue, one
 *   retry, a command timeout, so an enqueue during an outage fails within a second and the webhook
 *   can answer 503 instead of hanging (RELIABILITY 13).
 *
 * Both reconnect forever with capped exponential backoff and jitter, and carry a `connectionName`
 * (visible in `CLIENT LIST`) so operators and tests can find their own connections.
 */
import { Redis } from 'ioredis';
import type { RedisOptions } from 'bullmq';

export interface RedisConnectionSettings {
  /** `redis://` or `rediss://` URL. */
  url: string;
  /** Name shown by `CLIENT LIST`; no spaces. */
  connectionName: string;
}

export interface ProducerConnectionTuning {
  /** A command that gets no answer within this time fails (default 1000 ms). */
  commandTimeoutMs?: number;
  /** Give up a connection attempt after this time (default 1000 ms). */
  connectTimeoutMs?: number;
}

/** Longest wait between reconnection attempts. */
export const maxReconnectDelayMs = 3000;

/**
 * Delay before reconnection attempt `attempt` (1-based): 100 ms doubling up to 3 s, with ±20 %
 * jitter so many clients do not reconnect in lockstep after a Redis restart.
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(100 * 2 ** Math.max(0, attempt - 1), maxReconnectDelayMs);
  return Math.round(base * (0.8 + 0.4 * random()));
}

function baseOptions(settings: RedisConnectionSettings): RedisOptions {
  return {
    url: settings.url,
    connectionName: settings.connectionName,
    retryStrategy: (attempt: number) => reconnectDelayMs(attempt),
  };
}

/** Options for a worker's connections: patient, never drops a command while Redis is away. */
export function workerConnectionOptions(settings: RedisConnectionSettings): RedisOptions {
  return { ...baseOptions(settings), maxRetriesPerRequest: null, enableOfflineQueue: true };
}

/** Options for a producer's connection: commands fail at once while Redis is unreachable. */
export function producerConnectionOptions(
  settings: RedisConnectionSettings,
  tuning: ProducerConnectionTuning = {},
): RedisOptions {
  return {
    ...baseOptions(settings),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: tuning.commandTimeoutMs ?? 1000,
    connectTimeout: tuning.connectTimeoutMs ?? 1000,
  };
}

/**
 * A plain ioredis client with the same settings (health checks, tools, tests). The caller owns it
 * and must `quit()` it.
 */
export function createRedisClient(settings: RedisConnectionSettings, role: 'worker' | 'producer'): Redis {
  const { url, ...options } =
    role === 'worker' ? workerConnectionOptions(settings) : producerConnectionOptions(settings);
  return new Redis(url ?? settings.url, options);
}

/**
 * The producer side: a BullMQ `Queue` on a fail-fast connection. It does not wait for Redis at
 * construction (BullMQ would otherwise hold every `add` until the first connection succeeds), so
 * `enqueueJob` fails at once while Redis is away and works as soon as it is back.
 */
import { Queue } from 'bullmq';
import type { Logger } from '../src/logging/index.js';
import { LoomError } from '../src/errors/index.js';
import {
  producerConnectionOptions,
  type ProducerConnectionTuning,
  type RedisConnectionSettings,
} from './redis-connection.js';

/** The queue every Loom job goes to unless a deployment splits them. */
export const defaultQueueName = 'loom';

export interface CreateJobQueueOptions {
  connection: RedisConnectionSettings;
  queueName?: string;
  logger: Logger;
  tuning?: ProducerConnectionTuning;
}

/** Creates the producer queue; `queue.close()` closes its connection too. */
export function createJobQueue(options: CreateJobQueueOptions): Queue {
  const queueName = options.queueName ?? defaultQueueName;
  const queue = new Queue(queueName, {
    connection: producerConnectionOptions(options.connection, options.tuning),
    // Without these two BullMQ waits for the first `ready` and asks INFO before any command runs;
    // a queue created while Redis is down would then hang every add until Redis answers.
    skipWaitingForReady: true,
    skipVersionCheck: true,
  });
  // An unhandled 'error' event would be printed by BullMQ on every reconnection attempt.
  queue.on('error', (error) => options.logger.warn({ err: error, queueName }, 'queue connection error'));
  return queue;
}

/**
 * Closes a producer queue whether or not Redis is up. BullMQ's `close()` sends QUIT, which a
 * fail-fast connection refuses while disconnected; the client would then keep reconnecting with no
 * listener left. Dropping the socket first ends it cleanly.
 */
export async function closeJobQueue(queue: Queue): Promise<void> {
  const client = await queue.client;
  if (client.status !== 'ready') client.disconnect();
  await queue.close().catch(() => client.disconnect());
}

/**
 * Resolves once the queue's connection is ready; throws `LoomError('dependency_unavailable')` after
 * `timeoutMs`. For start-up and tests: a running server just lets `enqueueJob` fail fast.
 */
export async function waitForQueueReady(queue: Queue, timeoutMs: number): Promise<void> {
  const client = await queue.client;
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new LoomError('dependency_unavailable', `Redis not ready after ${timeoutMs} ms`));
    }, timeoutMs);
    function onReady(): void {
      clearTimeout(timer);
      resolve();
    }
    client.once('ready', onReady);
  });
}

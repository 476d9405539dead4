/**
 * Everything one queue test needs, created on demand and torn down in `cleanup()` even when the test
 * failed: a unique queue and connection name, a SQLite store in a temp directory, producer queues,
 * in-process workers, worker child processes and private Redis servers.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createSilentLogger } from '../../../src/logging/index.js';
import { openStore, type Store } from '../../../src/store/index.js';
import {
  builtInProcessors,
  closeJobQueue,
  createJobQueue,
  createWorker,
  waitForQueueReady,
  type CreateWorkerOptions,
  type LoomWorker,
} from '../../../queue/index.js';
import { startPrivateRedis, type PrivateRedis } from './private-redis.js';
import { uniqueName } from './wait-for.js';
import { startWorkerProcess, type WorkerProcess, type WorkerProcessOptions } from './worker-process.js';

export const sharedRedisUrl = 'redis://127.0.0.1:6379';

/** Short limits so stalled jobs come back within about two seconds. */
export const fastLimits = { lockDuration: 1_000, stalledInterval: 500 };

export interface QueueHarness {
  readonly queueName: string;
  /** Prefix of every connection name of this test (CLIENT LIST filter). */
  readonly connectionName: string;
  readonly store: Store;
  readonly dataDir: string;
  redisUrl: string;
  producer(options?: { redisUrl?: string }): Promise<Queue>;
  worker(options?: Partial<CreateWorkerOptions>): LoomWorker;
  workerProcess(options?: Partial<WorkerProcessOptions>): WorkerProcess;
  privateRedis(extraArgs?: string[]): Promise<PrivateRedis>;
  cleanup(): Promise<void>;
}

async function obliterateQueue(queueName: string): Promise<void> {
  const queue = new Queue(queueName, { connection: { url: sharedRedisUrl, maxRetriesPerRequest: 1 } });
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close().catch(() => undefined);
}

export async function createQueueHarness(prefix: string): Promise<QueueHarness> {
  const queueName = uniqueName(`loomtest-${prefix}`);
  const connectionName = uniqueName(`loomtest-${prefix}-conn`);
  const dataDir = await mkdtemp(join(tmpdir(), 'loom-queue-test-'));
  const store = await openStore({ dataDir });
  const queues: Queue[] = [];
  const workers: LoomWorker[] = [];
  const processes: WorkerProcess[] = [];
  const redisServers: PrivateRedis[] = [];
  let workerCount = 0;

  const harness: QueueHarness = {
    queueName,
    connectionName,
    store,
    dataDir,
    redisUrl: sharedRedisUrl,
    async producer(options = {}) {
      const url = options.redisUrl ?? harness.redisUrl;
      const queue = createJobQueue({
        connection: { url, connectionName: `${connectionName}-producer` },
        queueName,
        logger: createSilentLogger(),
      });
      queues.push(queue);
      await waitForQueueReady(queue, 5_000);
      return queue;
    },
    worker(options = {}) {
      workerCount += 1;
      const loomWorker = createWorker({
        connection: { url: harness.redisUrl, connectionName: `${connectionName}-worker${workerCount}` },
        queueName,
        concurrency: 1,
        processors: builtInProcessors,
        store,
        logger: createSilentLogger(),
        ...fastLimits,
        ...options,
      });
      workers.push(loomWorker);
      return loomWorker;
    },
    workerProcess(options = {}) {
      workerCount += 1;
      const child = startWorkerProcess({
        redisUrl: harness.redisUrl,
        queueName,
        connectionName: `${connectionName}-process${workerCount}`,
        dataDir,
        ...fastLimits,
        ...options,
      });
      processes.push(child);
      return child;
    },
    async privateRedis(extraArgs = []) {
      const server = await startPrivateRedis(extraArgs);
      redisServers.push(server);
      return server;
    },
    async cleanup() {
      await Promise.allSettled(processes.map((child) => child.destroy()));
      await Promise.allSettled(workers.map((loomWorker) => loomWorker.worker.close(true)));
      await Promise.allSettled(queues.map((queue) => closeJobQueue(queue)));
      // Private servers are thrown away whole; on the shared Redis only this test's keys go.
      if (harness.redisUrl === sharedRedisUrl) await obliterateQueue(queueName);
      await Promise.allSettled(redisServers.map((server) => server.destroy()));
      await store.close().catch(() => undefined);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

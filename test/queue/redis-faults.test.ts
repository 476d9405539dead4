/**
 * Redis faults (RELIABILITY 28, 33): connections killed, a full Redis restart, and Redis out of
 * memory. Killing and restarting only ever touch this test's own connections or a private server.
 */
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import { enqueueJob, jobIdForDelivery, waitForQueueReady } from '../../queue/index.js';
import { createQueueHarness, type QueueHarness } from './support/queue-harness.js';
import { delay, uniqueName, waitFor } from './support/wait-for.js';

let harness: QueueHarness;
const admins: Redis[] = [];
beforeEach(async () => {
  harness = await createQueueHarness('faults');
});
afterEach(async () => {
  await Promise.allSettled(admins.splice(0).map((admin) => admin.quit()));
  await harness.cleanup();
});

function adminClient(url: string): Redis {
  const admin = new Redis(url, {
    connectionName: `${harness.connectionName}-admin`,
    maxRetriesPerRequest: 1,
  });
  admin.on('error', () => undefined); // expected while Redis restarts
  admins.push(admin);
  return admin;
}

function enqueueEcho(queue: Queue, deliveryId: string) {
  return enqueueJob({
    queue,
    ledger: harness.store.requests,
    name: 'echo',
    payload: { version: 1, message: deliveryId },
    deliveryId,
    source: 'internal',
    kind: 'test',
  });
}

/** Enqueues, retrying while the producer reconnects (each failure forgets the delivery). */
async function enqueueWhenBack(queue: Queue, deliveryId: string): Promise<string> {
  const result = await waitFor(() => enqueueEcho(queue, deliveryId), {
    timeoutMs: 15_000,
    what: 'enqueue to succeed',
  });
  return result.jobId;
}

async function completed(queue: Queue, jobId: string): Promise<void> {
  await waitFor(async () => (await queue.getJobState(jobId)) === 'completed', {
    timeoutMs: 20_000,
    what: `job ${jobId} to complete`,
  });
}

/** `CLIENT LIST` entries whose name contains `marker`, as id → name. */
async function clientsNamed(admin: Redis, marker: string): Promise<Map<string, string>> {
  const list = (await admin.client('LIST')) as string;
  const clients = new Map<string, string>();
  for (const line of list.split('\n')) {
    const id = /(?:^| )id=(\d+)/.exec(line)?.[1];
    const name = /(?:^| )name=(\S*)/.exec(line)?.[1] ?? '';
    if (id !== undefined && name.includes(marker) && !name.endsWith('-admin')) clients.set(id, name);
  }
  return clients;
}

describe('Redis connections killed', () => {
  it('producer and worker reconnect after CLIENT KILL of all their connections', async () => {
    const queue = await harness.producer();
    harness.worker();
    await completed(queue, await enqueueWhenBack(queue, uniqueName('before')));

    const admin = adminClient(harness.redisUrl);
    const ours = await clientsNamed(admin, harness.connectionName);
    const names = [...ours.values()];
    expect(names.some((name) => name.endsWith('-producer'))).toBe(true);
    expect(names.some((name) => name.endsWith('-worker1') && !name.startsWith('bull:'))).toBe(true);
    expect(names.some((name) => name.startsWith('bull:'))).toBe(true); // the worker's blocking connection
    for (const id of ours.keys()) await admin.client('KILL', 'ID', id);

    await completed(queue, await enqueueWhenBack(queue, uniqueName('after')));
    const reconnected = await clientsNamed(admin, harness.connectionName);
    expect([...reconnected.keys()].some((id) => ours.has(id))).toBe(false);
    expect(reconnected.size).toBeGreaterThanOrEqual(ours.size);
  });

  it('producer and worker keep processing after a full Redis restart', async () => {
    const redis = await harness.privateRedis();
    harness.redisUrl = redis.url;
    const queue = await harness.producer();
    harness.worker();
    await completed(queue, await enqueueWhenBack(queue, uniqueName('before')));
    const killAll = adminClient(redis.url);
    await killAll.client('KILL', 'TYPE', 'normal');
    await completed(queue, await enqueueWhenBack(queue, uniqueName('after-kill')));

    await redis.stop();
    // Longer than the worker's blocking fetch timeout (drainDelay 5 s + 1 s), the case in which
    // BullMQ workers have been seen never to resume (bullmq#2466, #4585).
    await delay(7_000);
    await redis.start();
    await waitForQueueReady(queue, 10_000);
    await completed(queue, await enqueueWhenBack(queue, uniqueName('after-restart')));
  });
});

/**
 * Writes keys until Redis refuses with OOM, with shrinking values: a refused large write briefly
 * counts its own query buffer, so only a refused tiny write shows that memory is really full.
 * Returns the number of keys written.
 */
async function fillUntilOutOfMemory(client: Redis): Promise<number> {
  let keys = 0;
  for (const size of [16_384, 1_024, 64, 1]) {
    const value = 'x'.repeat(size);
    try {
      for (;;) {
        await client.set(`filler:${keys}`, value);
        keys += 1;
      }
    } catch (error) {
      expect(String(error)).toMatch(/OOM/);
    }
  }
  return keys;
}

describe('Redis out of memory (noeviction)', () => {
  it('rejects an enqueue with dependency_unavailable and evicts no job', async () => {
    const redis = await harness.privateRedis(['--maxmemory', '2mb', '--maxmemory-policy', 'noeviction']);
    harness.redisUrl = redis.url;
    const queue = await harness.producer();
    const kept = await enqueueEcho(queue, uniqueName('kept'));

    const filler = adminClient(redis.url);
    const fillerKeys = await fillUntilOutOfMemory(filler);

    const rejectedDelivery = uniqueName('rejected');
    const error = await enqueueEcho(queue, rejectedDelivery).catch((caught: unknown) => caught);
    expect(isLoomError(error, 'dependency_unavailable')).toBe(true);
    expect(await harness.store.requests.get(rejectedDelivery)).toBeUndefined();
    expect(await queue.getJobState(kept.jobId)).toBe('waiting');
    expect(await filler.info('stats')).toMatch(/evicted_keys:0\r?\n/);
    expect(await queue.getJob(jobIdForDelivery(rejectedDelivery))).toBeUndefined();

    for (let key = 0; key < fillerKeys; key += 1) await filler.del(`filler:${key}`);
    harness.worker();
    const retried = await enqueueEcho(queue, rejectedDelivery);
    await completed(queue, kept.jobId);
    await completed(queue, retried.jobId);
  });
});

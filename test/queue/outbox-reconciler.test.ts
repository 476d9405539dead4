/**
 * The outbox reconciler on a real Redis and a real SQLite store (RELIABILITY 29, 30): a request the
 * ledger accepted whose job Redis lost is re-enqueued from the stored job and runs exactly once; a job
 * that ran to the end is never re-enqueued; two reconcilers at once add one job.
 */
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startOutboxReconciler } from '../../src/cli/services/outbox-reconciler.js';
import { createSilentLogger } from '../../src/logging/index.js';
import {
  enqueueJob,
  reconcileOutbox,
  waitForQueueReady,
  type JobPolicy,
  type ReconcileOutboxInput,
} from '../../queue/index.js';
import { countingEcho, type CountingEcho } from './support/counting-echo.js';
import { createQueueHarness, type QueueHarness } from './support/queue-harness.js';
import { delay, uniqueName, waitFor } from './support/wait-for.js';

let harness: QueueHarness;
const clients: Redis[] = [];
beforeEach(async () => {
  harness = await createQueueHarness('outbox');
});
afterEach(async () => {
  await Promise.allSettled(clients.splice(0).map((client) => client.quit()));
  await harness.cleanup();
});

async function accept(
  queue: Queue,
  policy?: Partial<JobPolicy>,
): Promise<{ deliveryId: string; jobId: string }> {
  const deliveryId = uniqueName('delivery');
  const { jobId, duplicate } = await enqueueJob({
    queue,
    ledger: harness.store.requests,
    name: 'echo',
    payload: { version: 1, message: `hello ${deliveryId}` },
    deliveryId,
    source: 'github',
    kind: 'issue_comment.created',
    ...(policy === undefined ? {} : { policy }),
  });
  expect(duplicate).toBe(false);
  return { deliveryId, jobId };
}

/** One pass that sees every request as past its grace period. */
function reconcile(queue: Queue, overrides: Partial<ReconcileOutboxInput> = {}) {
  return reconcileOutbox({
    queue,
    ledger: harness.store.requests,
    runs: harness.store.runs,
    logger: createSilentLogger(),
    graceMs: 0,
    now: () => new Date(Date.now() + 1_000),
    ...overrides,
  });
}

async function ranToTheEnd(deliveryId: string, jobId: string): Promise<void> {
  await waitFor(async () => (await harness.store.runs.getByJobId(jobId))?.status === 'done', {
    what: 'run done',
  });
  await waitFor(async () => (await harness.store.requests.get(deliveryId))?.status === 'done', {
    what: 'request done',
  });
}

function admin(url: string): Redis {
  const client = new Redis(url, {
    connectionName: `${harness.connectionName}-admin`,
    maxRetriesPerRequest: 1,
  });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

function echoWorker(): CountingEcho {
  const echo = countingEcho();
  harness.worker({ processors: { echo: echo.processor } });
  return echo;
}

describe('outbox reconciler', () => {
  it('re-enqueues an acknowledged job lost in a Redis crash, and it runs exactly once (RELIABILITY 29)', async () => {
    // No persistence at all: the restart loses every write, the worst case of AOF `everysec`.
    const redis = await harness.privateRedis(['--appendonly', 'no']);
    harness.redisUrl = redis.url;
    const queue = await harness.producer();
    const { deliveryId, jobId } = await accept(queue);
    expect(await harness.store.requests.get(deliveryId)).toMatchObject({ status: 'enqueued', jobId });

    await redis.stop();
    await redis.start();
    await waitForQueueReady(queue, 10_000);
    expect(await queue.getJobState(jobId)).toBe('unknown');

    const report = await reconcile(queue);
    expect(report.reEnqueued).toEqual([deliveryId]);
    expect(await queue.getJobState(jobId)).toBe('waiting');
    const echo = echoWorker();
    await ranToTheEnd(deliveryId, jobId);

    const later = await reconcile(queue);
    expect(later.reEnqueued).toEqual([]);
    await delay(300);
    expect(echo.calls(jobId)).toBe(1);
  });

  it('re-enqueues a `received` request whose job keys were deleted, and marks it enqueued', async () => {
    const queue = await harness.producer();
    const { deliveryId, jobId } = await accept(queue);
    await harness.store.requests.setStatus(deliveryId, 'received');
    await queue.obliterate({ force: true });

    expect((await reconcile(queue)).reEnqueued).toEqual([deliveryId]);
    expect(await harness.store.requests.get(deliveryId)).toMatchObject({ status: 'enqueued', jobId });
    const echo = echoWorker();
    await ranToTheEnd(deliveryId, jobId);
    expect(echo.calls(jobId)).toBe(1);
  });

  it('never re-enqueues a job that ran to the end and was removed; a copy added anyway does nothing', async () => {
    const queue = await harness.producer();
    const echo = echoWorker();
    const { deliveryId, jobId } = await accept(queue, { removeOnComplete: true });
    await ranToTheEnd(deliveryId, jobId);
    await waitFor(async () => (await queue.getJobState(jobId)) === 'unknown', { what: 'job removed' });
    // The worker's ledger update is best effort: say it never landed.
    await harness.store.requests.setStatus(deliveryId, 'running');

    const report = await reconcile(queue);
    expect(report).toMatchObject({ reEnqueued: [], settled: [deliveryId] });
    expect(await harness.store.requests.get(deliveryId)).toMatchObject({ status: 'done' });
    expect(await queue.getJobState(jobId)).toBe('unknown');

    // A copy (a reconciler racing the removal) completes without running the processor again.
    const stored = (await harness.store.requests.get(deliveryId))?.job;
    await queue.add('echo', stored?.payload, { jobId, removeOnComplete: false });
    await waitFor(async () => (await queue.getJobState(jobId)) === 'completed', { what: 'copy completed' });
    expect(echo.calls(jobId)).toBe(1);
    expect(await harness.store.runs.getByJobId(jobId)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('adds one job per request when two reconcilers run at once', async () => {
    const queue = await harness.producer();
    const other = await harness.producer();
    const accepted = [];
    for (let index = 0; index < 5; index += 1) accepted.push(await accept(queue));
    await queue.obliterate({ force: true });

    const [first, second] = await Promise.all([reconcile(queue), reconcile(other)]);
    const ids = accepted.map((request) => request.deliveryId).sort();
    expect([...new Set([...first.reEnqueued, ...second.reEnqueued])].sort()).toEqual(ids);
    expect((await queue.getJobCounts('waiting')).waiting).toBe(5);
    const echo = echoWorker();
    for (const { deliveryId, jobId } of accepted) await ranToTheEnd(deliveryId, jobId);
    await delay(300);
    for (const { jobId } of accepted) expect(echo.calls(jobId)).toBe(1);
    expect(echo.calls()).toBe(5);
  });

  it('re-enqueues only what a promoted replica missed; each job runs once (RELIABILITY 30)', async () => {
    const primary = await harness.privateRedis();
    const replica = await harness.privateRedis(['--replicaof', '127.0.0.1', String(primary.port)]);
    harness.redisUrl = primary.url;
    const onPrimary = await harness.producer();
    const replicated = await accept(onPrimary);
    const replicaClient = admin(replica.url);
    const replicatedKey = `bull:${harness.queueName}:${replicated.jobId}`;
    await waitFor(async () => (await replicaClient.exists(replicatedKey)) === 1, { what: 'replication' });
    // The replica is cut off and then promoted: it never sees the next write.
    await replicaClient.replicaof('NO', 'ONE');
    const missed = await accept(onPrimary);
    await primary.stop();

    harness.redisUrl = replica.url;
    const onReplica = await harness.producer();
    expect(await onReplica.getJobState(replicated.jobId)).toBe('waiting');
    expect(await onReplica.getJobState(missed.jobId)).toBe('unknown');
    const report = await reconcile(onReplica);
    expect(report.reEnqueued).toEqual([missed.deliveryId]);

    const echo = echoWorker();
    await ranToTheEnd(replicated.deliveryId, replicated.jobId);
    await ranToTheEnd(missed.deliveryId, missed.jobId);
    expect((await reconcile(onReplica)).reEnqueued).toEqual([]);
    await delay(300);
    expect([echo.calls(replicated.jobId), echo.calls(missed.jobId)]).toEqual([1, 1]);
  });

  it('leaves young requests alone and forgets only stale `received` rows that have no stored job', async () => {
    const queue = await harness.producer();
    const lost = await accept(queue);
    await queue.obliterate({ force: true });
    const legacy = uniqueName('legacy');
    await harness.store.requests.record({ deliveryId: legacy, source: 'slack', kind: 'app_mention' });

    const young = await reconcile(queue, { graceMs: 60_000, now: () => new Date() });
    expect(young).toMatchObject({ reEnqueued: [], forgotten: [], checked: 0 });
    const stale = await reconcile(queue, { graceMs: 60_000, now: () => new Date(Date.now() + 120_000) });
    expect(stale).toMatchObject({ reEnqueued: [lost.deliveryId], forgotten: [legacy] });
    expect(await harness.store.requests.get(legacy)).toBeUndefined();
  });

  it('records a request the processor refused as `refused`, not `done`', async () => {
    const queue = await harness.producer();
    harness.worker({
      processors: { echo: async () => ({ outcome: 'refused', reason: 'requester has no write access' }) },
    });
    const { deliveryId, jobId } = await accept(queue);
    await waitFor(async () => (await harness.store.requests.get(deliveryId))?.status === 'refused', {
      what: 'request refused',
    });
    expect(await harness.store.requests.get(deliveryId)).toMatchObject({
      reason: 'requester has no write access',
    });
    expect(await harness.store.runs.getByJobId(jobId)).toMatchObject({ status: 'done' });
    expect((await reconcile(queue)).checked).toBe(0);
  });

  it('reconciles at start-up, one pass at a time, and counts in /metrics', async () => {
    const queue = await harness.producer();
    const lost = await accept(queue);
    await queue.obliterate({ force: true });
    const registry = new Registry();
    const reconciler = startOutboxReconciler({
      queue,
      ledger: harness.store.requests,
      runs: harness.store.runs,
      logger: createSilentLogger(),
      registry,
      graceMs: 0,
      now: () => new Date(Date.now() + 1_000),
    });
    try {
      // Queued behind the start-up pass, which re-enqueued the lost job: nothing left to do.
      expect((await reconciler.reconcile()).reEnqueued).toEqual([]);
      expect(await queue.getJobState(lost.jobId)).toBe('waiting');
      expect(await registry.metrics()).toContain('loom_outbox_reconciled_total{action="re-enqueued"} 1');
    } finally {
      reconciler.stop();
    }
  });
});

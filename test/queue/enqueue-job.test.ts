import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import {
  closeJobQueue,
  createJobQueue,
  enqueueJob,
  getQueueDepth,
  runIdForJob,
  waitForQueueReady,
  type JobFinishedEvent,
} from '../../queue/index.js';
import { countingEcho } from './support/counting-echo.js';
import { freePort } from './support/private-redis.js';
import { createQueueHarness, type QueueHarness } from './support/queue-harness.js';
import { delay, uniqueName, waitFor } from './support/wait-for.js';

let harness: QueueHarness;
beforeEach(async () => {
  harness = await createQueueHarness('enqueue');
});
afterEach(async () => {
  await harness.cleanup();
});

function echoInput(deliveryId: string, queue: Awaited<ReturnType<QueueHarness['producer']>>) {
  return {
    queue,
    ledger: harness.store.requests,
    name: 'echo' as const,
    payload: { version: 1 as const, message: `hello ${deliveryId}` },
    deliveryId,
    source: 'github' as const,
    kind: 'issue_comment.created',
  };
}

describe('enqueueJob with a worker on a real Redis', () => {
  it('runs an echo job end to end and records run, request, duration and depth', async () => {
    const queue = await harness.producer();
    const deliveryId = uniqueName('delivery');
    const { jobId, duplicate } = await enqueueJob(echoInput(deliveryId, queue));
    expect(duplicate).toBe(false);
    expect(await harness.store.requests.get(deliveryId)).toMatchObject({ status: 'enqueued', jobId });
    expect((await getQueueDepth(queue)).waiting).toBe(1);

    const finished: JobFinishedEvent[] = [];
    harness.worker({ onJobFinished: (event) => finished.push(event) });
    const run = await waitFor(async () => {
      const found = await harness.store.runs.get(runIdForJob(jobId));
      return found?.status === 'done' ? found : undefined;
    });
    expect(run).toMatchObject({ jobId, jobName: 'echo', deliveryId, attempts: 1 });
    expect(run.result).toMatchObject({ message: `hello ${deliveryId}`, resumedFromStep: 0 });
    expect(await harness.store.requests.get(deliveryId)).toMatchObject({ status: 'done' });
    expect(finished).toEqual([{ jobName: 'echo', outcome: 'completed', durationMs: expect.any(Number) }]);
    await waitFor(async () => (await getQueueDepth(queue)).completed === 1);
  });

  it('runs a job enqueued twice with the same delivery id 10 ms apart once', async () => {
    const queue = await harness.producer();
    const echo = countingEcho();
    harness.worker({ processors: { echo: echo.processor } });
    const deliveryId = uniqueName('delivery');
    const first = await enqueueJob(echoInput(deliveryId, queue));
    await delay(10);
    const second = await enqueueJob(echoInput(deliveryId, queue));
    expect(first.duplicate).toBe(false);
    expect(second).toEqual({ jobId: first.jobId, duplicate: true });
    await waitFor(async () => (await harness.store.runs.getByJobId(first.jobId))?.status === 'done');
    await delay(300);
    expect(echo.calls()).toBe(1);
  });

  it('still deduplicates after removeOnComplete removed the finished job (ledger outlives retention)', async () => {
    const queue = await harness.producer();
    const echo = countingEcho();
    harness.worker({ processors: { echo: echo.processor } });
    const deliveryId = uniqueName('delivery');
    const policy = { removeOnComplete: true };
    const first = await enqueueJob({ ...echoInput(deliveryId, queue), policy });
    await waitFor(async () => (await harness.store.runs.getByJobId(first.jobId))?.status === 'done');
    await waitFor(async () => (await queue.getJob(first.jobId)) === undefined, { what: 'job removed' });

    const again = await enqueueJob({ ...echoInput(deliveryId, queue), policy });
    expect(again).toEqual({ jobId: first.jobId, duplicate: true });
    await delay(500);
    expect(await queue.getJob(first.jobId)).toBeUndefined();
    expect(echo.calls()).toBe(1);
  });

  it('rejects an invalid payload before recording the delivery', async () => {
    const queue = await harness.producer();
    const deliveryId = uniqueName('delivery');
    const input = {
      ...echoInput(deliveryId, queue),
      payload: { version: 1 as const, message: 42 as unknown as string },
    };
    await expect(enqueueJob(input)).rejects.toSatisfy((error) => isLoomError(error, 'invalid_input'));
    expect(await harness.store.requests.get(deliveryId)).toBeUndefined();
    expect((await getQueueDepth(queue)).waiting).toBe(0);
  });
});

describe('enqueueJob while Redis is down', () => {
  it('fails within 1 s with dependency_unavailable and forgets the delivery', async () => {
    const queue = createJobQueue({
      connection: { url: `redis://127.0.0.1:${await freePort()}`, connectionName: harness.connectionName },
      queueName: harness.queueName,
      logger: createSilentLogger(),
    });
    try {
      const deliveryId = uniqueName('delivery');
      const startedAt = Date.now();
      const error = await enqueueJob(echoInput(deliveryId, queue)).catch((caught: unknown) => caught);
      expect(Date.now() - startedAt).toBeLessThan(1_000);
      expect(isLoomError(error, 'dependency_unavailable')).toBe(true);
      expect(await harness.store.requests.get(deliveryId)).toBeUndefined();
    } finally {
      await closeJobQueue(queue);
    }
  });

  it('processes the redelivery once Redis is back', async () => {
    const redis = await harness.privateRedis();
    harness.redisUrl = redis.url;
    const queue = await harness.producer();
    const echo = countingEcho();
    const deliveryId = uniqueName('delivery');
    await redis.stop();
    const startedAt = Date.now();
    await expect(enqueueJob(echoInput(deliveryId, queue))).rejects.toSatisfy((error) =>
      isLoomError(error, 'dependency_unavailable'),
    );
    expect(Date.now() - startedAt).toBeLessThan(1_000);

    await redis.start();
    await waitForQueueReady(queue, 10_000);
    const redelivered = await enqueueJob(echoInput(deliveryId, queue));
    expect(redelivered.duplicate).toBe(false);
    harness.worker({ processors: { echo: echo.processor } });
    await waitFor(async () => (await harness.store.requests.get(deliveryId))?.status === 'done');
    expect(echo.calls()).toBe(1);
  });
});

/** Permanent and transient failures (RELIABILITY 32) and invalid payloads, on a real Redis. */
import type { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueJob, runIdForJob, type EchoPayload, type JobPolicy } from '../../queue/index.js';
import { countingEcho } from './support/counting-echo.js';
import { createQueueHarness, type QueueHarness } from './support/queue-harness.js';
import { uniqueName, waitFor } from './support/wait-for.js';

let harness: QueueHarness;
beforeEach(async () => {
  harness = await createQueueHarness('failures');
});
afterEach(async () => {
  await harness.cleanup();
});

const quickRetries: Partial<JobPolicy> = { attempts: 3, backoff: { type: 'exponential', delay: 200 } };

async function enqueueEcho(queue: Queue, payload: Omit<EchoPayload, 'version' | 'deliveryId'>) {
  const deliveryId = uniqueName('delivery');
  const { jobId } = await enqueueJob({
    queue,
    ledger: harness.store.requests,
    name: 'echo',
    payload: { version: 1, ...payload },
    deliveryId,
    source: 'internal',
    kind: 'test',
    policy: quickRetries,
  });
  return { jobId, deliveryId };
}

async function finalState(queue: Queue, jobId: string): Promise<string> {
  return waitFor(
    async () => {
      const state = await queue.getJobState(jobId);
      return state === 'completed' || state === 'failed' ? state : undefined;
    },
    { timeoutMs: 15_000, what: `job ${jobId} to finish` },
  );
}

describe('job failures', () => {
  it('fails a permanent error once, without retrying, and records why', async () => {
    const queue = await harness.producer();
    const echo = countingEcho();
    harness.worker({ processors: { echo: echo.processor } });
    const { jobId, deliveryId } = await enqueueEcho(queue, { message: 'no', permanentFailure: true });

    expect(await finalState(queue, jobId)).toBe('failed');
    const job = await queue.getJob(jobId);
    expect(job?.attemptsMade).toBe(1);
    expect(echo.calls(jobId)).toBe(1);
    expect(await harness.store.runs.get(runIdForJob(jobId))).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: 'echo was asked to fail permanently',
    });
    expect(await harness.store.requests.get(deliveryId)).toMatchObject({
      status: 'failed',
      reason: 'echo was asked to fail permanently',
    });
  });

  it('retries a transient error with exponential backoff until it succeeds', async () => {
    const queue = await harness.producer();
    const attemptTimes: number[] = [];
    const echo = countingEcho();
    harness.worker({
      processors: {
        echo: (payload, context) => {
          attemptTimes.push(Date.now());
          return echo.processor(payload, context);
        },
      },
    });
    const { jobId } = await enqueueEcho(queue, { message: 'flaky', failTimes: 2 });

    expect(await finalState(queue, jobId)).toBe('completed');
    expect(echo.calls(jobId)).toBe(3);
    const [first = 0, second = 0, third = 0] = attemptTimes;
    expect(second - first).toBeGreaterThanOrEqual(200);
    expect(third - second).toBeGreaterThanOrEqual(400);
    expect(await harness.store.runs.get(runIdForJob(jobId))).toMatchObject({ status: 'done', attempts: 3 });
  });

  it('fails for good when a transient error outlasts the attempts', async () => {
    const queue = await harness.producer();
    harness.worker();
    const { jobId } = await enqueueEcho(queue, { message: 'down', failTimes: 5 });

    expect(await finalState(queue, jobId)).toBe('failed');
    expect((await queue.getJob(jobId))?.attemptsMade).toBe(3);
    expect(await harness.store.runs.get(runIdForJob(jobId))).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('fails a job whose payload breaks its contract once, without running the processor', async () => {
    const queue = await harness.producer();
    const echo = countingEcho();
    harness.worker({ processors: { echo: echo.processor } });
    // Written around enqueueJob, as an older or foreign producer could.
    const job = await queue.add(
      'echo',
      { version: 9, message: 'from the future' },
      { jobId: 'd-foreign', attempts: 3 },
    );
    const jobId = job.id ?? '';

    expect(await finalState(queue, jobId)).toBe('failed');
    expect((await queue.getJob(jobId))?.attemptsMade).toBe(1);
    expect(echo.calls()).toBe(0);
    const run = await harness.store.runs.get(runIdForJob(jobId));
    expect(run?.status).toBe('failed');
    expect(run?.error).toContain('invalid echo payload');
  });
});

/**
 * Job durability with real worker processes (RELIABILITY 25, 26, 32): a worker killed mid-job, a
 * worker stopped with SIGTERM, and a job that keeps bringing its worker down.
 */
import type { Queue } from 'bullmq';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enqueueJob, runIdForJob, stopWorker, type JobProcessor } from '../../queue/index.js';
import { countingEcho } from './support/counting-echo.js';
import { createQueueHarness, type QueueHarness } from './support/queue-harness.js';
import type { WorkerEvent } from './support/worker-process.js';
import { uniqueName, waitFor } from './support/wait-for.js';

let harness: QueueHarness;
beforeEach(async () => {
  harness = await createQueueHarness('durability');
});
afterEach(async () => {
  await harness.cleanup();
});

async function enqueueEcho(queue: Queue, workMs: number): Promise<string> {
  const { jobId } = await enqueueJob({
    queue,
    ledger: harness.store.requests,
    name: 'echo',
    payload: { version: 1, message: 'durable', workMs },
    deliveryId: uniqueName('delivery'),
    source: 'internal',
    kind: 'test',
  });
  return jobId;
}

function progressAtLeast(jobId: string, steps: number) {
  return (event: WorkerEvent) =>
    event.event === 'progress' &&
    event.jobId === jobId &&
    ((event.progress as { stepsDone: number }).stepsDone ?? 0) >= steps;
}

async function finishedRun(jobId: string, timeoutMs = 15_000) {
  return waitFor(
    async () => {
      const run = await harness.store.runs.get(runIdForJob(jobId));
      return run?.status === 'done' || run?.status === 'failed' ? run : undefined;
    },
    { timeoutMs, what: `run of ${jobId} to finish` },
  );
}

describe('a worker killed mid-job (SIGKILL)', () => {
  it('leaves the job to another worker, which runs it again from its journal', async () => {
    const queue = await harness.producer();
    const doomed = harness.workerProcess();
    await doomed.waitForEvent((event) => event.event === 'ready');
    const jobId = await enqueueEcho(queue, 2_000);
    await doomed.waitForEvent(progressAtLeast(jobId, 3));
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    expect(await queue.getJobState(jobId)).toBe('active');

    const echo = countingEcho();
    harness.worker({ processors: { echo: echo.processor } });
    const run = await finishedRun(jobId);
    expect(run.status).toBe('done');
    expect(run.attempts).toBe(2);
    expect((run.result as { resumedFromStep: number }).resumedFromStep).toBeGreaterThanOrEqual(3);
    expect(echo.calls(jobId)).toBe(1);
    // The run is recorded as done inside the processor; BullMQ moves the job to `completed` just after.
    await waitFor(async () => (await queue.getJobState(jobId)) === 'completed', {
      what: 'the job to be completed',
    });
  });
});

describe('a worker stopped with SIGTERM', () => {
  it('stops fetching, finishes its running job and exits 0', async () => {
    const queue = await harness.producer();
    const child = harness.workerProcess({ shutdownTimeoutMs: 10_000 });
    await child.waitForEvent((event) => event.event === 'ready');
    const runningJob = await enqueueEcho(queue, 1_500);
    await child.waitForEvent((event) => event.event === 'started' && event.jobId === runningJob);
    const waitingJob = await enqueueEcho(queue, 0);
    child.child.kill('SIGTERM');

    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(child.events).toContainEqual({ event: 'stopped', outcome: 'drained' });
    expect(await queue.getJobState(runningJob)).toBe('completed');
    expect(await harness.store.runs.get(runIdForJob(runningJob))).toMatchObject({
      status: 'done',
      attempts: 1,
    });
    expect(child.events.some((event) => event.jobId === waitingJob)).toBe(false);
    expect(await queue.getJobState(waitingJob)).toBe('waiting');
  });

  it('releases a job that outlasts the shutdown timeout, exits 0, and the job resumes elsewhere', async () => {
    const queue = await harness.producer();
    const child = harness.workerProcess({ shutdownTimeoutMs: 1_200 });
    await child.waitForEvent((event) => event.event === 'ready');
    const jobId = await enqueueEcho(queue, 3_000);
    await child.waitForEvent(progressAtLeast(jobId, 2));
    const signalledAt = Date.now();
    child.child.kill('SIGTERM');

    expect(await child.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalledAt).toBeLessThan(4_000);
    expect(child.events).toContainEqual({ event: 'stopped', outcome: 'aborted' });
    expect(child.events).toContainEqual(expect.objectContaining({ event: 'finished', outcome: 'released' }));
    // Released, not stalled: back in the queue at once, no lock to wait for.
    expect(await queue.getJobState(jobId)).toBe('waiting');
    const journal = (await harness.store.runs.get(runIdForJob(jobId)))?.progress as { stepsDone: number };
    expect(journal.stepsDone).toBeGreaterThanOrEqual(2);

    harness.worker();
    const run = await finishedRun(jobId);
    expect(run).toMatchObject({ status: 'done', attempts: 2 });
    expect((run.result as { resumedFromStep: number }).resumedFromStep).toBe(journal.stepsDone);
  });
});

describe('a job that keeps bringing its worker down', () => {
  it('is force-released at each shutdown and then stopped by maxStartedAttempts', async () => {
    const queue = await harness.producer();
    let releaseHungJobs: () => void = () => undefined;
    const hung = new Promise<void>((resolve) => {
      releaseHungJobs = resolve;
    });
    let starts = 0;
    // Ignores its abort signal, like a processor stuck in a call without a timeout.
    const stuck: JobProcessor<'echo'> = async () => {
      starts += 1;
      await hung;
      return {};
    };
    const limits = { maxStartedAttempts: 2, maxStalledCount: 5 };
    try {
      const jobId = await enqueueEcho(queue, 0);
      for (const expectedStarts of [1, 2]) {
        const crashing = harness.worker({ processors: { echo: stuck }, ...limits });
        await waitFor(() => starts === expectedStarts, { what: `start ${expectedStarts}` });
        expect(await stopWorker(crashing, 400)).toBe('forced');
      }
      const echo = countingEcho();
      harness.worker({ processors: { echo: echo.processor }, ...limits });
      await waitFor(async () => (await queue.getJobState(jobId)) === 'failed', { timeoutMs: 15_000 });
      const job = await queue.getJob(jobId);
      expect(job?.failedReason).toContain('started more than allowable limit');
      expect(job?.attemptsStarted).toBe(3);
      expect(echo.calls()).toBe(0);
      const run = await finishedRun(jobId);
      expect(run).toMatchObject({ status: 'failed', attempts: 2 });
      // The run is the record; the request ledger follows it (best effort, settled by the outbox
      // reconciler if a worker dies in between), so it may lag the run by a write.
      const deliveryId = run.deliveryId ?? '';
      await waitFor(async () => (await harness.store.requests.get(deliveryId))?.status === 'failed', {
        what: 'the request to be marked failed',
      });
    } finally {
      releaseHungJobs();
    }
  });
});

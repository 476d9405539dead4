/**
 * The behaviour every Store adapter must have, run against each of them (sqlite-store.test.ts,
 * postgres-store.test.ts). Tests use fresh random ids, so they also hold on a database that other
 * tests of the same file have written to.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLoomError, type LoomErrorCode } from '../../src/errors/index.js';
import type { Store } from '../../src/store/index.js';
import { describeChoresContract } from './chores-contract.js';
import { describeRequestJobsContract } from './request-jobs-contract.js';
import { describeThreadsContract } from './threads-contract.js';

export interface StoreHarness {
  store: Store;
  /** Opens one more Store on the same database (another "process"); `cleanup` closes it too. */
  openAnother: () => Promise<Store>;
  /** Closes every store of this harness and removes the database or directory it created. */
  cleanup: () => Promise<void>;
}

/** Expects `promise` to reject with a LoomError of `code`; returns the error for more checks. */
export async function expectLoomError(promise: Promise<unknown>, code: LoomErrorCode) {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(isLoomError(error), `expected LoomError(${code}), got ${String(error)}`).toBe(true);
  expect(isLoomError(error) ? error.code : undefined).toBe(code);
  return error as Error & { code: LoomErrorCode; retryable: boolean };
}

const uniqueId = (prefix: string): string => `${prefix}-${randomUUID()}`;

export function describeStoreContract(adapterName: string, makeStore: () => Promise<StoreHarness>): void {
  describe(`store contract (${adapterName})`, () => {
    let harness: StoreHarness;
    let store: Store;

    beforeEach(async () => {
      harness = await makeStore();
      store = harness.store;
    });

    afterEach(async () => {
      await harness.cleanup();
    });

    describe('opening', () => {
      it('reports its dialect and answers ping', async () => {
        expect(store.dialect).toBe(adapterName);
        await expect(store.ping()).resolves.toBeUndefined();
      });

      it('opens the same database again without re-running migrations, sharing the data', async () => {
        const deliveryId = uniqueId('reopen');
        await store.requests.record({ deliveryId, source: 'github', kind: 'issue_comment.created' });
        const second = await harness.openAnother();
        const third = await harness.openAnother();
        expect((await second.requests.get(deliveryId))?.kind).toBe('issue_comment.created');
        expect((await third.requests.record({ deliveryId, source: 'github', kind: 'x' })).created).toBe(
          false,
        );
      });

      it('refuses calls after close and tolerates a second close', async () => {
        const second = await harness.openAnother();
        await second.close();
        await second.close();
        await expectLoomError(second.ping(), 'dependency_unavailable');
      });
    });

    describe('requests ledger', () => {
      it('records a delivery once and returns the existing record for a duplicate', async () => {
        const deliveryId = uniqueId('delivery');
        const first = await store.requests.record({ deliveryId, source: 'slack', kind: 'app_mention' });
        expect(first.created).toBe(true);
        expect(first.request).toMatchObject({
          deliveryId,
          source: 'slack',
          kind: 'app_mention',
          status: 'received',
        });
        expect(first.request.jobId).toBeUndefined();
        expect(first.request.reason).toBeUndefined();
        expect(first.request.createdAt).toBeInstanceOf(Date);
        expect(Math.abs(first.request.createdAt.getTime() - Date.now())).toBeLessThan(60_000);

        const again = await store.requests.record({ deliveryId, source: 'github', kind: 'other' });
        expect(again.created).toBe(false);
        expect(again.request).toEqual(first.request);
        expect(await store.requests.get(deliveryId)).toEqual(first.request);
        expect(await store.requests.get(uniqueId('unknown'))).toBeUndefined();
      });

      it('creates exactly one record when 20 calls race with the same id', async () => {
        const deliveryId = uniqueId('race');
        const input = { deliveryId, source: 'github' as const, kind: 'issues.opened' };
        const outcomes = await Promise.all(Array.from({ length: 20 }, () => store.requests.record(input)));
        expect(outcomes.filter((outcome) => outcome.created)).toHaveLength(1);
        const createdAt = outcomes.map((outcome) => outcome.request.createdAt.getTime());
        expect(new Set(createdAt).size).toBe(1);
      });

      it('creates exactly one record when two store instances race with the same ids', async () => {
        const other = await harness.openAnother();
        const ids = Array.from({ length: 5 }, () => uniqueId('shared'));
        const calls = ids.flatMap((deliveryId) =>
          Array.from({ length: 20 }, (_, index) =>
            (index % 2 === 0 ? store : other).requests.record({ deliveryId, source: 'github', kind: 'push' }),
          ),
        );
        const outcomes = await Promise.all(calls);
        for (const deliveryId of ids) {
          const mine = outcomes.filter((outcome) => outcome.request.deliveryId === deliveryId);
          expect(mine).toHaveLength(20);
          expect(mine.filter((outcome) => outcome.created)).toHaveLength(1);
        }
      });

      it('moves through statuses, keeping jobId and reason when they are not given', async () => {
        const deliveryId = uniqueId('status');
        const { request } = await store.requests.record({
          deliveryId,
          source: 'github',
          kind: 'issues.opened',
        });
        const enqueued = await store.requests.setStatus(deliveryId, 'enqueued', { jobId: 'job-1' });
        expect(enqueued).toMatchObject({ status: 'enqueued', jobId: 'job-1', reason: undefined });
        expect(enqueued.updatedAt.getTime()).toBeGreaterThanOrEqual(request.createdAt.getTime());
        expect(enqueued.createdAt).toEqual(request.createdAt);

        const running = await store.requests.setStatus(deliveryId, 'running');
        expect(running).toMatchObject({ status: 'running', jobId: 'job-1' });
        const failed = await store.requests.setStatus(deliveryId, 'failed', { reason: 'clone failed' });
        expect(failed).toMatchObject({ status: 'failed', jobId: 'job-1', reason: 'clone failed' });
        expect(await store.requests.get(deliveryId)).toEqual(failed);
      });

      it('refuses a status change for an unknown delivery with not_found', async () => {
        await expectLoomError(store.requests.setStatus(uniqueId('missing'), 'enqueued'), 'not_found');
      });

      it('forgets only requests that were never enqueued', async () => {
        const pending = uniqueId('pending');
        const enqueued = uniqueId('enqueued');
        await store.requests.record({ deliveryId: pending, source: 'github', kind: 'x' });
        await store.requests.record({ deliveryId: enqueued, source: 'github', kind: 'x' });
        await store.requests.setStatus(enqueued, 'enqueued', { jobId: 'job-2' });

        expect(await store.requests.forgetUnenqueued(pending)).toBe(true);
        expect(await store.requests.get(pending)).toBeUndefined();
        expect(
          (await store.requests.record({ deliveryId: pending, source: 'github', kind: 'x' })).created,
        ).toBe(true);

        expect(await store.requests.forgetUnenqueued(enqueued)).toBe(false);
        expect((await store.requests.get(enqueued))?.status).toBe('enqueued');
        expect(await store.requests.forgetUnenqueued(uniqueId('never-seen'))).toBe(true);
      });

      it('lists requests still received before a date, oldest first', async () => {
        const older = uniqueId('older');
        const newer = uniqueId('newer');
        const moved = uniqueId('moved');
        const first = await store.requests.record({ deliveryId: older, source: 'github', kind: 'x' });
        await new Promise((resolve) => setTimeout(resolve, 5));
        await store.requests.record({ deliveryId: newer, source: 'slack', kind: 'x' });
        await store.requests.record({ deliveryId: moved, source: 'github', kind: 'x' });
        await store.requests.setStatus(moved, 'refused', { reason: 'not a collaborator' });

        const ours = (records: { deliveryId: string }[]) =>
          records.map((record) => record.deliveryId).filter((id) => [older, newer, moved].includes(id));
        expect(ours(await store.requests.listUnenqueued(new Date(Date.now() + 1000)))).toEqual([
          older,
          newer,
        ]);
        expect(ours(await store.requests.listUnenqueued(first.request.createdAt))).toEqual([]);
        const listed = await store.requests.listUnenqueued(new Date(first.request.createdAt.getTime() + 1));
        expect(ours(listed)).toEqual([older]);
        expect(listed.every((record) => record.status === 'received')).toBe(true);
      });
    });

    describeRunsContract(() => store);
    describeThreadsContract(() => harness);
    describeRequestJobsContract(() => harness);
    describeChoresContract(() => harness);
  });
}

function describeRunsContract(getStore: () => Store): void {
  describe('runs', () => {
    const newRun = (overrides: { deliveryId?: string } = {}) => ({
      id: uniqueId('run'),
      jobId: uniqueId('job'),
      jobName: 'agent-run',
      ...overrides,
    });

    it('creates a queued run idempotently by id', async () => {
      const store = getStore();
      const input = newRun({ deliveryId: 'delivery-1' });
      const run = await store.runs.create(input);
      expect(run).toMatchObject({ ...input, status: 'queued', attempts: 0, progress: {} });
      expect(run.result).toBeUndefined();
      expect(run.error).toBeUndefined();
      expect(run.startedAt).toBeUndefined();
      expect(run.finishedAt).toBeUndefined();
      expect(run.createdAt).toBeInstanceOf(Date);
      expect(await store.runs.create(input)).toEqual(run);
      expect(await store.runs.get(input.id)).toEqual(run);
      expect(await store.runs.getByJobId(input.jobId)).toEqual(run);
      expect((await store.runs.create(newRun())).deliveryId).toBeUndefined();
    });

    it('refuses a second run for a job that has one, and a reused run id for another job', async () => {
      const store = getStore();
      const input = newRun();
      await store.runs.create(input);
      await expectLoomError(store.runs.create({ ...input, id: uniqueId('other-run') }), 'conflict');
      await expectLoomError(store.runs.create({ ...input, jobId: uniqueId('other-job') }), 'conflict');
    });

    it('counts attempts on each start and keeps the first start time', async () => {
      const store = getStore();
      const { id } = await store.runs.create(newRun());
      const first = await store.runs.markStarted(id);
      expect(first).toMatchObject({ status: 'running', attempts: 1 });
      expect(first.startedAt).toBeInstanceOf(Date);
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = await store.runs.markStarted(id);
      expect(second.attempts).toBe(2);
      expect(second.startedAt).toEqual(first.startedAt);
      expect(second.updatedAt.getTime()).toBeGreaterThan(first.startedAt?.getTime() ?? Infinity);
    });

    it('saves progress as JSON and returns it as objects', async () => {
      const store = getStore();
      const { id } = await store.runs.create(newRun());
      const progress = { step: 3, done: ['plan', 'edit'], nested: { ok: true, none: null }, text: 'é ✓ "q"' };
      expect((await store.runs.saveProgress(id, progress)).progress).toEqual(progress);
      expect((await store.runs.get(id))?.progress).toEqual(progress);
      expect((await store.runs.saveProgress(id, { step: 4 })).progress).toEqual({ step: 4 });
    });

    it('finishes with a final state, result and error, and cannot start again', async () => {
      const store = getStore();
      const { id } = await store.runs.create(newRun());
      await store.runs.markStarted(id);
      const done = await store.runs.finish(id, 'done', { result: { pullRequest: 12, files: ['a.ts'] } });
      expect(done).toMatchObject({
        status: 'done',
        result: { pullRequest: 12, files: ['a.ts'] },
        error: undefined,
      });
      expect(done.finishedAt).toBeInstanceOf(Date);
      await expectLoomError(store.runs.markStarted(id), 'conflict');

      const failedRun = await store.runs.create(newRun());
      const failed = await store.runs.finish(failedRun.id, 'failed', { error: 'weaver died' });
      expect(failed).toMatchObject({ status: 'failed', error: 'weaver died', result: undefined });
    });

    it('refuses a non-final status in finish', async () => {
      const store = getStore();
      const { id } = await store.runs.create(newRun());
      const notFinal = 'running' as unknown as 'done';
      await expectLoomError(store.runs.finish(id, notFinal, {}), 'invalid_input');
      expect((await store.runs.get(id))?.status).toBe('queued');
    });

    it('lists runs newest first, filtered by status and limited', async () => {
      const store = getStore();
      const ids: string[] = [];
      for (let index = 0; index < 3; index += 1) {
        const { id } = await store.runs.create(newRun());
        await store.runs.finish(id, 'over-budget', { error: 'budget' });
        ids.push(id);
        await new Promise((resolve) => setTimeout(resolve, 3));
      }
      const listed = await store.runs.list({ status: 'over-budget' });
      expect(listed.every((run) => run.status === 'over-budget')).toBe(true);
      expect(listed.map((run) => run.id).filter((id) => ids.includes(id))).toEqual([...ids].reverse());
      const limited = await store.runs.list({ status: 'over-budget', limit: 2 });
      expect(limited).toHaveLength(2);
      expect(limited[0]?.createdAt.getTime()).toBeGreaterThanOrEqual(
        limited[1]?.createdAt.getTime() ?? Infinity,
      );
      expect((await store.runs.list({ limit: 1 })).length).toBe(1);
    });

    it('answers not_found for unknown run ids', async () => {
      const store = getStore();
      const id = uniqueId('missing-run');
      expect(await store.runs.get(id)).toBeUndefined();
      expect(await store.runs.getByJobId(id)).toBeUndefined();
      await expectLoomError(store.runs.markStarted(id), 'not_found');
      await expectLoomError(store.runs.saveProgress(id, {}), 'not_found');
      await expectLoomError(store.runs.finish(id, 'cancelled', {}), 'not_found');
    });
  });
}

/**
 * The outbox part of the request ledger, run against both adapters (from store-contract.ts): the job
 * stored with a request, conditional transitions, and the pages of unfinished requests the outbox
 * reconciler walks. Each test pages only through its own rows (found by their random ids).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RequestRecord, Store } from '../../src/store/index.js';

const uniqueId = (prefix: string): string => `${prefix}-${randomUUID()}`;

const echoJob = (message: string) => ({
  name: 'echo',
  payload: { version: 1, message, nested: { list: [1, 'two'] } },
  options: { jobId: `d-${message}`, attempts: 3, backoff: { type: 'exponential', delay: 5000 } },
});

async function allUnfinished(store: Store, olderThan: Date, pageSize: number): Promise<RequestRecord[]> {
  const all: RequestRecord[] = [];
  let page = await store.requests.listUnfinished({ olderThan, limit: pageSize });
  while (page.length > 0) {
    all.push(...page);
    const last = page[page.length - 1] as RequestRecord;
    page = await store.requests.listUnfinished({
      olderThan,
      after: { createdAt: last.createdAt, deliveryId: last.deliveryId },
      limit: pageSize,
    });
  }
  return all;
}

export function describeRequestJobsContract(getHarness: () => { store: Store }): void {
  describe('requests ledger: stored jobs and the outbox', () => {
    it('stores the job with the request and returns it on every read', async () => {
      const { store } = getHarness();
      const deliveryId = uniqueId('with-job');
      const job = echoJob(deliveryId);
      const first = await store.requests.record({ deliveryId, source: 'github', kind: 'x', job });
      expect(first.request.job).toEqual(job);
      expect(await store.requests.get(deliveryId)).toMatchObject({ job });
      const again = await store.requests.record({
        deliveryId,
        source: 'github',
        kind: 'x',
        job: echoJob('other'),
      });
      expect(again).toMatchObject({ created: false, request: { job } });
      const without = uniqueId('without-job');
      expect(
        (await store.requests.record({ deliveryId: without, source: 'slack', kind: 'x' })).request.job,
      ).toBe(undefined);
    });

    it('answers many concurrent records, transitions and failed status updates each on its own', async () => {
      const { store } = getHarness();
      const ids = Array.from({ length: 40 }, () => uniqueId('burst'));
      // Every id twice at once: the writes of one burst share transactions (SQLite's group commit).
      const recorded = await Promise.all(
        [...ids, ...ids].map((deliveryId) =>
          store.requests.record({ deliveryId, source: 'slack', kind: 'x' }),
        ),
      );
      for (const deliveryId of ids) {
        const mine = recorded.filter((result) => result.request.deliveryId === deliveryId);
        expect(mine.map((result) => result.created).sort()).toEqual([false, true]);
      }
      const unknown = uniqueId('unknown');
      const [moved, missing] = await Promise.all([
        Promise.all(ids.map((deliveryId) => store.requests.transition(deliveryId, ['received'], 'enqueued'))),
        store.requests.setStatus(unknown, 'done').then(
          () => 'updated',
          (error: unknown) => (error as { code?: string }).code,
        ),
      ]);
      expect(moved.every(Boolean)).toBe(true);
      expect(missing).toBe('not_found');
      for (const deliveryId of ids) {
        expect(await store.requests.get(deliveryId)).toMatchObject({ status: 'enqueued' });
      }
    });

    it('moves a request only from the statuses given', async () => {
      const { store } = getHarness();
      const deliveryId = uniqueId('transition');
      await store.requests.record({ deliveryId, source: 'github', kind: 'x' });
      expect(await store.requests.transition(deliveryId, ['received'], 'enqueued', { jobId: 'j-1' })).toBe(
        true,
      );
      expect(await store.requests.get(deliveryId)).toMatchObject({ status: 'enqueued', jobId: 'j-1' });
      await store.requests.setStatus(deliveryId, 'done');
      // A late "enqueued" must not move a finished request back.
      expect(await store.requests.transition(deliveryId, ['received'], 'enqueued', { jobId: 'j-2' })).toBe(
        false,
      );
      expect(await store.requests.get(deliveryId)).toMatchObject({ status: 'done', jobId: 'j-1' });
      expect(await store.requests.transition(deliveryId, ['done'], 'refused', { reason: 'no access' })).toBe(
        true,
      );
      expect(await store.requests.get(deliveryId)).toMatchObject({ status: 'refused', reason: 'no access' });
      expect(await store.requests.transition(uniqueId('unknown'), ['received'], 'done')).toBe(false);
      expect(await store.requests.transition(deliveryId, [], 'done')).toBe(false);
    });

    it('pages through unfinished requests older than a date, skipping finished and job-less ones', async () => {
      const { store } = getHarness();
      const ids = {
        received: uniqueId('received'),
        receivedOld: uniqueId('received-no-job'),
        enqueued: uniqueId('enqueued'),
        running: uniqueId('running'),
        enqueuedOld: uniqueId('enqueued-no-job'),
        done: uniqueId('done'),
        refused: uniqueId('refused'),
      };
      for (const [name, deliveryId] of Object.entries(ids)) {
        const job = name.endsWith('Old') ? {} : { job: echoJob(deliveryId) };
        await store.requests.record({ deliveryId, source: 'github', kind: 'x', ...job });
      }
      await store.requests.setStatus(ids.enqueued, 'enqueued');
      await store.requests.setStatus(ids.running, 'running');
      await store.requests.setStatus(ids.enqueuedOld, 'enqueued');
      await store.requests.setStatus(ids.done, 'done');
      await store.requests.setStatus(ids.refused, 'refused');
      const ours = new Set(Object.values(ids));
      const cutoff = new Date(Date.now() + 1000);
      for (const pageSize of [1, 2, 1000]) {
        const listed = (await allUnfinished(store, cutoff, pageSize)).filter((r) => ours.has(r.deliveryId));
        // Rows created in the same millisecond are ordered by id, so compare as sets, then the order.
        expect(listed.map((request) => request.deliveryId).sort()).toEqual(
          [ids.received, ids.receivedOld, ids.enqueued, ids.running].sort(),
        );
        // (Ties are ordered by id in the database's collation, which differs between the dialects.)
        const times = listed.map((request) => request.createdAt.getTime());
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
      const first = await store.requests.get(ids.received);
      const before = (await allUnfinished(store, first?.createdAt ?? new Date(0), 100)).filter((r) =>
        ours.has(r.deliveryId),
      );
      expect(before).toEqual([]);
    });
  });
}

/**
 * Exactly-once delivery at the ingress: duplicates (RELIABILITY 5), a redelivery after a 5xx before
 * enqueue (6), Redis down (13), and events that are not for us (15).
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitForQueueReady } from '../../queue/index.js';
import { startRedisServerProcess, type RedisServerProcess } from '../server/support/redis-server-process.js';
import {
  gheApiUrl,
  mockGetApp,
  startIngress,
  type IngressHarness,
} from './support/github-ingress-harness.js';
import { exampleEvent, issueCommentCreated, issueOpened } from './support/payloads.js';

const harnesses: IngressHarness[] = [];
const redisServers: RedisServerProcess[] = [];
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.cleanup()));
  await Promise.all(redisServers.splice(0).map((server) => server.kill()));
  nock.cleanAll();
});

async function ingress(redisUrl?: string): Promise<IngressHarness> {
  const harness = await startIngress({ redisUrl });
  harnesses.push(harness);
  return harness;
}

const trigger = () => issueCommentCreated({ body: '@loom-bot fix the flaky test' });

describe('duplicate deliveries (RELIABILITY 5)', () => {
  it('makes one job of the same delivery posted twice 10 ms apart, and again after the job is gone', async () => {
    mockGetApp(gheApiUrl);
    const harness = await ingress();
    const fixture = trigger();
    const first = await harness.post(fixture);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const second = await harness.post(fixture, { deliveryId: first.deliveryId });
    expect(first).toMatchObject({ status: 202, body: { status: 'enqueued' } });
    expect(second).toMatchObject({ status: 200, body: { status: 'duplicate', jobId: first.body.jobId } });
    expect(await harness.jobCount()).toBe(1);

    // Days later BullMQ's retention has dropped the job; the requests ledger still knows the delivery.
    await (await harness.job(first.deliveryId))?.remove();
    const later = await harness.post(fixture, { deliveryId: first.deliveryId });
    expect(later).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(await harness.jobCount()).toBe(0);
  });

  it('makes one job of the same delivery posted concurrently', async () => {
    mockGetApp(gheApiUrl);
    const harness = await ingress();
    const fixture = trigger();
    const deliveryId = crypto.randomUUID();
    const answers = await Promise.all([1, 2, 3, 4].map(() => harness.post(fixture, { deliveryId })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 200, 202]);
    expect(await harness.jobCount()).toBe(1);
  });

  it('answers a trigger well under a second', async () => {
    mockGetApp(gheApiUrl);
    const harness = await ingress();
    await harness.post(trigger());
    const timings = [];
    for (let round = 0; round < 5; round += 1) timings.push((await harness.post(trigger())).elapsedMs);
    expect(Math.max(...timings)).toBeLessThan(500);
  });
});

describe('Redis down (RELIABILITY 6, 13)', () => {
  it('answers 503 within a second, records nothing, and processes the redelivery once', async () => {
    const redis = await startRedisServerProcess();
    redisServers.push(redis);
    mockGetApp(gheApiUrl);
    const harness = await ingress(redis.url);
    await waitForQueueReady(harness.queue, 5_000);
    await redis.kill();

    const fixture = trigger();
    const failed = await harness.post(fixture);
    expect(failed.status).toBe(503);
    expect(failed.body).toMatchObject({ error: { code: 'dependency_unavailable' } });
    expect(failed.elapsedMs).toBeLessThan(1_000);
    expect(await harness.store.requests.get(failed.deliveryId)).toBeUndefined();

    await redis.restart();
    await waitForQueueReady(harness.queue, 10_000);
    const redelivered = await harness.post(fixture, { deliveryId: failed.deliveryId });
    expect(redelivered).toMatchObject({ status: 202, body: { status: 'enqueued' } });
    const again = await harness.post(fixture, { deliveryId: failed.deliveryId });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate' } });
    expect(await harness.jobCount()).toBe(1);
    expect(await harness.store.requests.get(failed.deliveryId)).toMatchObject({ status: 'enqueued' });
  });
});

describe('events that are not requests (RELIABILITY 15)', () => {
  it.each([
    ['ping', exampleEvent('ping')],
    // A push that does not touch .loom/chores.yml; installation events sync chores
    // (test/chores/chores-ingress.test.ts).
    ['push', exampleEvent('push')],
    ['pull_request.opened', exampleEvent('pull_request', 'opened')],
    [
      'an edited comment that mentions the app',
      issueCommentCreated({ body: '@loom-bot go', action: 'edited' }),
    ],
    [
      'a deleted comment that mentions the app',
      issueCommentCreated({ body: '@loom-bot go', action: 'deleted' }),
    ],
    ['an edited issue that mentions the app', issueOpened({ body: '@loom-bot go', action: 'edited' })],
    ['an event GitHub may add later', { name: 'brand_new_event', payload: { action: 'created' } }],
  ])('acknowledges %s with 200 and makes no job', async (_case, fixture) => {
    const getApp = mockGetApp(gheApiUrl);
    const harness = await ingress();
    const result = await harness.post(fixture);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: 'ignored' });
    expect(await harness.store.requests.get(result.deliveryId)).toBeUndefined();
    expect(await harness.jobCount()).toBe(0);
    expect(getApp.isDone()).toBe(false);
  });
});

/**
 * The warm pool against the fake API: ready pods (their warm-up really runs in the fake
 * container), claimed by relabelling with a conditional merge patch, the deadline lowered to "from
 * now", the pool refilled; two workers never get the same pod; a pod about to expire is not handed out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSilentLogger } from '../../src/logging/index.js';
import { buildWeaverPod, createWeaverPodApi, describeWeaverPod } from '../../src/weaver/kubernetes/index.js';
import { createWarmPool } from '../../src/weaver/kubernetes/warm-pool.js';
import { call, captureLogger } from '../weaver/weaver-test-support.js';
import type { FakeKubernetesApi } from './support/fake-kubernetes-api.js';
import {
  createTestWeavers,
  eventually,
  podTestTimeoutMs,
  startFakeCluster,
  testNamespace,
  testSettings,
} from './support/kubernetes-weaver-test-support.js';

const readyWarm = (fake: FakeKubernetesApi) =>
  fake.store
    .list('loom.dev/state=warm')
    .filter((pod) => describeWeaverPod(pod).kind === 'ready')
    .map((pod) => pod.metadata!.name!);

describe('weaver warm pool', () => {
  let fake: FakeKubernetesApi;

  beforeAll(async () => {
    fake = await startFakeCluster({ runContainers: true });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it(
    'fills the pool, claims a ready pod by relabelling it, lowers its deadline, and refills',
    async () => {
      const weavers = createTestWeavers(fake, captureLogger().logger, { warmPoolSize: 2 }, 'worker-warm');
      try {
        await eventually(() => readyWarm(fake).length === 2, 120_000);
        const warm = readyWarm(fake);
        expect(fake.store.get(warm[0]!)?.spec?.activeDeadlineSeconds).toBe(600 + 1800);

        const weaver = await weavers.open({ jobId: 'warm-job', repository: 'acme/web' });
        expect(weaver.fromWarmPool).toBe(true);
        expect(warm).toContain(weaver.podName);
        const claimed = fake.store.get(weaver.podName)!;
        expect(claimed.metadata?.labels).toMatchObject({
          'loom.dev/state': 'claimed',
          'loom.dev/job-id': 'warm-job',
          'loom.dev/owner': 'worker-warm',
        });
        expect(claimed.metadata?.annotations?.['loom.dev/repository']).toBe('acme/web');
        const ageSeconds = (Date.now() - Date.parse(String(claimed.status?.startTime))) / 1000;
        expect(claimed.spec?.activeDeadlineSeconds).toBeLessThanOrEqual(Math.ceil(ageSeconds) + 600);
        expect(claimed.spec?.activeDeadlineSeconds).toBeGreaterThanOrEqual(600);
        expect(
          fake.requests.filter((request) =>
            request.startsWith(`PATCH /api/v1/namespaces/${testNamespace}/pods/${weaver.podName}`),
          ),
        ).toHaveLength(1);
        expect(
          fake.requests.some((request) => request.startsWith('POST') && request.includes(weaver.podName)),
        ).toBe(false);

        expect((await call(weaver, 'bash', { command: 'echo from a warm pod' })).output).toBe(
          'from a warm pod\n',
        );
        await eventually(() => fake.store.list('loom.dev/state=warm').length === 2, 10_000);

        await weaver.close();
        expect(fake.store.get(weaver.podName)).toBeUndefined();
      } finally {
        await weavers.close();
      }
      // Warm pods are the namespace's, not this worker's: they stay for the next one.
      expect(fake.store.list('loom.dev/state=warm')).toHaveLength(2);
    },
    podTestTimeoutMs,
  );
});

describe('weaver warm pool: claims', () => {
  let fake: FakeKubernetesApi;
  const settings = testSettings({ warmPoolSize: 1 });

  beforeAll(async () => {
    fake = await startFakeCluster({ startDelayMs: 0 });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('never hands the same pod to two workers: the loser of the conditional patch gets nothing', async () => {
    const api = createWeaverPodApi(fake.kubeConfig(), testNamespace);
    let id = 0;
    const pool = (name: string) =>
      createWarmPool({
        api,
        settings,
        logger: createSilentLogger(),
        newWeaverId: () => `${name}${(id += 1)}`,
        now: Date.now,
      });
    const first = pool('a');
    const second = pool('b');
    await first.fill();
    await eventually(() => readyWarm(fake).length === 1);
    const now = Date.now();
    const [one, two] = await Promise.all([
      first.claim({ jobId: 'job-one', repository: undefined, ownerId: 'worker-one', now }),
      second.claim({ jobId: 'job-two', repository: undefined, ownerId: 'worker-two', now }),
    ]);
    const winners = [one, two].filter((pod) => pod !== undefined);
    expect(winners).toHaveLength(1);
    const stored = fake.store.get(winners[0]!.metadata!.name!)!;
    expect(stored.metadata?.labels?.['loom.dev/owner']).toBe(one === undefined ? 'worker-two' : 'worker-one');
    await api.remove(stored.metadata!.name!);
  });

  it('leaves a warm pod that is about to expire to the reaper', async () => {
    const api = createWeaverPodApi(fake.kubeConfig(), testNamespace);
    const almostExpired = Date.now() - settings.warmMaxAgeSeconds * 1000 + 30_000;
    await api.create(buildWeaverPod({ settings, weaverId: 'old', now: almostExpired, claim: undefined }));
    await eventually(() => readyWarm(fake).includes('loom-weaver-old'));
    const pool = createWarmPool({
      api,
      settings,
      logger: createSilentLogger(),
      newWeaverId: () => 'new',
      now: Date.now,
    });
    expect(
      await pool.claim({ jobId: 'j', repository: undefined, ownerId: 'w', now: Date.now() }),
    ).toBeUndefined();
    expect(fake.store.get('loom-weaver-old')?.metadata?.labels?.['loom.dev/state']).toBe('warm');
  });
});

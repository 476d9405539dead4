/**
 * RELIABILITY 44: a pod past its `activeDeadlineSeconds` is stopped by Kubernetes (the fake does
 * what the kubelet does: Failed, DeadlineExceeded, processes killed); the running tool call and
 * every later weaver call fail with a clear error, and the reaper removes the pod.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoomError, type LoomError } from '../../src/errors/index.js';
import {
  buildWeaverPod,
  createWeaverPodApi,
  type KubernetesWeavers,
} from '../../src/weaver/kubernetes/index.js';
import { call, captureLogger } from '../weaver/weaver-test-support.js';
import type { FakeKubernetesApi } from './support/fake-kubernetes-api.js';
import {
  createTestWeavers,
  podTestTimeoutMs,
  startFakeCluster,
  testNamespace,
  testSettings,
} from './support/kubernetes-weaver-test-support.js';

describe('kubernetes weaver: a job past its deadline', () => {
  let fake: FakeKubernetesApi;
  let weavers: KubernetesWeavers;
  const captured = captureLogger();

  beforeAll(async () => {
    fake = await startFakeCluster();
    weavers = createTestWeavers(fake, captured.logger);
  });
  afterAll(async () => {
    await weavers?.close();
    await fake?.close();
  });

  it(
    'reports DeadlineExceeded to the model and the worker, and the reaper removes the pod',
    async () => {
      const weaver = await weavers.open({ jobId: 'long-job' });
      // The deadline counts from the pod's start; bring it to "two seconds from now".
      const pod = fake.store.get(weaver.podName)!;
      const ageSeconds = Math.ceil((Date.now() - Date.parse(String(pod.status?.startTime))) / 1000);
      await createWeaverPodApi(fake.kubeConfig(), testNamespace).patch(weaver.podName, {
        spec: { activeDeadlineSeconds: ageSeconds + 2 },
      });

      const started = Date.now();
      const result = await call(weaver, 'bash', { command: 'echo working; sleep 15' });
      expect(Date.now() - started).toBeLessThan(12_000);
      expect(result.isError).toBe(true);
      expect(result.output).toMatch(
        /ran past its deadline \(activeDeadlineSeconds \d+\) and Kubernetes stopped it \(DeadlineExceeded\)/,
      );

      const exported = (await weaver.exportBundle('HEAD').catch((error: unknown) => error)) as LoomError;
      expect(isLoomError(exported, 'timeout')).toBe(true);
      expect(exported.retryable).toBe(false);
      expect(exported.details).toMatchObject({ reason: 'DeadlineExceeded', pod: weaver.podName });
      expect((await call(weaver, 'read_file', { path: 'x' })).output).toMatch(
        /did not run: .*DeadlineExceeded/,
      );
      expect(
        captured.records.some((record) => record.msg === 'weaver exec stream ended' && record.level === 50),
      ).toBe(true);

      expect(fake.store.get(weaver.podName)?.status).toMatchObject({
        phase: 'Failed',
        reason: 'DeadlineExceeded',
      });
      expect(await weavers.reap()).toEqual([{ name: weaver.podName, reason: 'finished' }]);
      expect(fake.store.list()).toEqual([]);
      await weaver.close();
      expect(weavers.usage().running).toBe(0);
    },
    podTestTimeoutMs,
  );

  it('refuses to raise a deadline: Kubernetes only lets it go down', async () => {
    const api = createWeaverPodApi(fake.kubeConfig(), testNamespace);
    const pod = buildWeaverPod({
      settings: testSettings(),
      weaverId: 'raise',
      now: Date.now(),
      claim: undefined,
    });
    await api.create(pod);
    try {
      const raised = await api
        .patch('loom-weaver-raise', { spec: { activeDeadlineSeconds: 100_000 } })
        .catch((error: unknown) => error);
      expect(isLoomError(raised, 'invalid_input')).toBe(true);
      const lowered = await api.patch('loom-weaver-raise', { spec: { activeDeadlineSeconds: 60 } });
      expect(lowered.spec?.activeDeadlineSeconds).toBe(60);
    } finally {
      await api.remove('loom-weaver-raise');
    }
  });
});

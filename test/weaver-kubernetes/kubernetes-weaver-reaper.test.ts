/**
 * The reaper, against the fake API: what it removes at start and at its interval (expired,
 * orphaned, finished), what it leaves alone (live pods, pods that are not Loom's), and the pod of
 * a worker killed with SIGKILL mid-job, reaped once that worker's lease has run out.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { V1Pod } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildWeaverPod, createWeaverPodApi, type WeaverPodApi } from '../../src/weaver/kubernetes/index.js';
import { captureLogger } from '../weaver/weaver-test-support.js';
import type { FakeKubernetesApi } from './support/fake-kubernetes-api.js';
import {
  createTestWeavers,
  eventually,
  podTestTimeoutMs,
  startFakeCluster,
  testNamespace,
  testSettings,
} from './support/kubernetes-weaver-test-support.js';

const settings = testSettings({ leaseTtlMs: 2000 });

function podAt(weaverId: string, createdAt: number, claimed: boolean): V1Pod {
  const claim = claimed
    ? { jobId: `job-${weaverId}`, repository: 'acme/web', ownerId: 'some-worker', now: createdAt }
    : undefined;
  return buildWeaverPod({ settings, weaverId, now: createdAt, claim });
}

const names = (fake: FakeKubernetesApi): string[] =>
  fake.store
    .list()
    .map((pod) => pod.metadata!.name!)
    .sort();

describe('weaver reaper', () => {
  let fake: FakeKubernetesApi;
  let api: WeaverPodApi;

  beforeEach(async () => {
    fake = await startFakeCluster({ startDelayMs: 0 });
    api = createWeaverPodApi(fake.kubeConfig(), testNamespace);
  });
  afterEach(async () => {
    await fake?.close();
  });

  it('removes expired, orphaned and finished pods when a backend starts, and leaves live and foreign pods alone', async () => {
    const now = Date.now();
    await api.create(podAt('expired-warm', now - (settings.warmMaxAgeSeconds + 5) * 1000, false));
    await api.create(podAt('orphan', now - settings.leaseTtlMs - 1000, true));
    await api.create(podAt('live', now, true));
    await api.create(podAt('warm', now, false));
    await api.create(podAt('finished', now, true));
    const foreign = podAt('foreign', now - 3_600_000, false);
    foreign.metadata!.labels!['app.kubernetes.io/managed-by'] = 'someone-else';
    await api.create(foreign);
    await eventually(() => fake.store.get('loom-weaver-finished')?.status?.phase === 'Running');
    fake.store.failPod(
      'loom-weaver-finished',
      'DeadlineExceeded',
      'Pod was active on the node longer than the specified deadline',
    );

    const { logger, records } = captureLogger();
    const weavers = createTestWeavers(fake, logger, { leaseTtlMs: settings.leaseTtlMs });
    try {
      const reapedRecords = () => records.filter((record) => record.msg === 'weaver pod reaped');
      // The fake deletes before the client's answer arrives, so wait for the log lines too.
      await eventually(() => names(fake).length === 3 && reapedRecords().length === 3);
      expect(names(fake)).toEqual(['loom-weaver-foreign', 'loom-weaver-live', 'loom-weaver-warm']);
      expect(
        reapedRecords()
          .map((record) => [record.pod, record.reason])
          .sort(),
      ).toEqual([
        ['loom-weaver-expired-warm', 'expired'],
        ['loom-weaver-finished', 'finished'],
        ['loom-weaver-orphan', 'orphaned'],
      ]);
      expect(
        fake.requests.some((request) =>
          request.includes('labelSelector=app.kubernetes.io%2Fmanaged-by%3Dloom'),
        ),
      ).toBe(true);
    } finally {
      await weavers.close();
    }
  });

  it('runs again at its interval', async () => {
    const weavers = createTestWeavers(fake, captureLogger().logger, {
      reapIntervalMs: 300,
      leaseTtlMs: settings.leaseTtlMs,
    });
    try {
      // A lease that runs out one second from now, held by nobody.
      await api.create(podAt('soon-orphaned', Date.now() - settings.leaseTtlMs + 1000, true));
      expect(names(fake)).toEqual(['loom-weaver-soon-orphaned']);
      await eventually(() => names(fake).length === 0, 5000);
    } finally {
      await weavers.close();
    }
  });

  it(
    'reaps the pod of a worker killed mid-job once its lease runs out, while a live worker keeps renewing its own',
    async () => {
      const worker = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./support/hanging-worker.ts', import.meta.url))],
        {
          env: {
            PATH: process.env.PATH,
            FAKE_K8S_URL: fake.url,
            FAKE_K8S_TOKEN: 'fake-worker-token',
            FAKE_K8S_LEASE_TTL_MS: '3000',
            FAKE_K8S_LEASE_RENEW_MS: '500',
          },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: worker.stdout }).once('line', resolve);
        worker.once('exit', (code) => reject(new Error(`the worker exited early (${code})`)));
      });
      const podName = (JSON.parse(firstLine) as { pod: string }).pod;
      const lease = (): number =>
        Date.parse(fake.store.get(podName)?.metadata?.annotations?.['loom.dev/lease-expires-at'] ?? '');
      const firstLease = lease();
      await eventually(() => lease() > firstLease, 5000);

      worker.kill('SIGKILL');
      await new Promise((resolve) => worker.once('exit', resolve));
      const lastLease = lease();
      expect(names(fake)).toEqual([podName]);

      // Another worker's reaper (at start, then at its interval) takes the pod once the lease ran out.
      const { logger, records } = captureLogger();
      const survivor = createTestWeavers(fake, logger, { reapIntervalMs: 250 });
      try {
        const reaped = () => records.find((record) => record.msg === 'weaver pod reaped');
        await eventually(() => names(fake).length === 0 && reaped() !== undefined, 10_000);
        expect(reaped()).toMatchObject({ pod: podName, reason: 'orphaned' });
        // Not before the dead worker's lease ran out (pino's `time` is the log time in ms).
        expect(reaped()?.time).toBeGreaterThanOrEqual(lastLease);
      } finally {
        await survivor.close();
      }
    },
    podTestTimeoutMs,
  );
});

/** Shared pieces of the Kubernetes weaver tests: settings with short timings, a fake cluster, a backend. */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../src/logging/index.js';
import {
  createKubernetesWeavers,
  createWeaverPodApi,
  kubernetesWeaverDefaults,
  type KubernetesWeavers,
  type KubernetesWeaverSettings,
} from '../../../src/weaver/kubernetes/index.js';
import {
  startFakeKubernetesApi,
  type FakeKubernetesApi,
  type FakeKubernetesApiOptions,
} from './fake-kubernetes-api.js';

export const testNamespace = 'loom-weavers';

export function testSettings(overrides: Partial<KubernetesWeaverSettings> = {}): KubernetesWeaverSettings {
  return {
    ...kubernetesWeaverDefaults,
    namespace: testNamespace,
    image: 'registry.example.test/loom-weaver:test',
    runtimeClassName: undefined,
    maxConcurrent: 4,
    warmPoolSize: 0,
    deadlineSeconds: 600,
    resources: { cpu: '1', memory: '1Gi', disk: '2Gi' },
    egressProxyUrl: undefined,
    startTimeoutMs: 60_000,
    handshakeTimeoutMs: 60_000,
    callTimeoutMs: 60_000,
    // Background timers stay out of the way unless a test asks for them.
    reapIntervalMs: 3_600_000,
    leaseRenewIntervalMs: 3_600_000,
    // Below the usual hard limit, so `ulimit -u` succeeds as a normal user too.
    pidsLimit: 4096,
    ...overrides,
  };
}

/**
 * A fake cluster for `testNamespace`. Containers' main commands (the warm-up) are not run unless
 * asked: each is one more agent start, and tests that do not look at warm pods do not need it.
 */
export function startFakeCluster(
  options: Partial<FakeKubernetesApiOptions> = {},
): Promise<FakeKubernetesApi> {
  return startFakeKubernetesApi({ namespace: testNamespace, runContainers: false, ...options });
}

/** Starting `loom weaver-agent` through tsx takes seconds on a busy machine; tests that start pods get this long. */
export const podTestTimeoutMs = 180_000;

export function createTestWeavers(
  fake: FakeKubernetesApi,
  logger: Logger,
  overrides: Partial<KubernetesWeaverSettings> = {},
  ownerId = `worker-${randomBytes(3).toString('hex')}`,
): KubernetesWeavers {
  const settings = testSettings(overrides);
  return createKubernetesWeavers({
    api: createWeaverPodApi(fake.kubeConfig(), settings.namespace),
    settings,
    logger,
    ownerId,
  });
}

/** Polls `check` until it is true or `timeoutMs` passes. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

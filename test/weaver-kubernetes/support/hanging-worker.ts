/**
 * A worker that opens one Kubernetes weaver and then hangs, to be killed with SIGKILL by a test:
 * the pod it leaves behind must be reaped once its lease runs out. Run with
 * `node --import tsx hanging-worker.ts`; configured through FAKE_K8S_* variables; prints
 * `{"pod": name}` on stdout once the weaver is ready.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { createSilentLogger } from '../../../src/logging/index.js';
import { createKubernetesWeavers, createWeaverPodApi } from '../../../src/weaver/kubernetes/index.js';
import { testSettings } from './kubernetes-weaver-test-support.js';

const kubeConfig = new KubeConfig();
kubeConfig.loadFromOptions({
  clusters: [{ name: 'fake', server: process.env.FAKE_K8S_URL, skipTLSVerify: true }],
  users: [{ name: 'worker', token: process.env.FAKE_K8S_TOKEN }],
  contexts: [{ name: 'fake', cluster: 'fake', user: 'worker' }],
  currentContext: 'fake',
});
const settings = testSettings({
  leaseTtlMs: Number(process.env.FAKE_K8S_LEASE_TTL_MS),
  leaseRenewIntervalMs: Number(process.env.FAKE_K8S_LEASE_RENEW_MS),
});
const weavers = createKubernetesWeavers({
  api: createWeaverPodApi(kubeConfig, settings.namespace),
  settings,
  logger: createSilentLogger(),
  ownerId: 'hanging-worker',
});
const weaver = await weavers.open({ jobId: 'killed-job', repository: 'acme/web' });
process.stdout.write(`${JSON.stringify({ pod: weaver.podName })}\n`);
setInterval(() => undefined, 60_000);

/**
 * The weaver pod as a spec (RELIABILITY 40, 42, 43, 44): every security setting, the empty
 * environment, the limits and the deadline are asserted one by one, the pod is validated against
 * the Kubernetes schema, and each way of losing a setting is shown to be caught, by the admission
 * rules and by the (fake) namespace through the real client.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { Pod } from 'kubernetes-models/v1/Pod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import {
  buildWeaverPod,
  createWeaverPodApi,
  weaverAgentCommand,
  type WeaverPodApi,
} from '../../src/weaver/kubernetes/index.js';
import type { FakeKubernetesApi } from './support/fake-kubernetes-api.js';
import { startFakeCluster, testSettings } from './support/kubernetes-weaver-test-support.js';
import { weaverPodAdmissionViolations } from './support/weaver-pod-admission.js';

const now = Date.parse('2030-01-01T00:00:00Z');
const claim = { jobId: 'delivery-123', repository: 'acme/web', ownerId: 'worker-1', now };
const claimedPod = (overrides = {}): V1Pod =>
  buildWeaverPod({ settings: testSettings(overrides), weaverId: 'abc123', now, claim });

describe('weaver pod spec', () => {
  const pod = claimedPod();
  const spec = pod.spec!;
  const container = spec.containers[0]!;

  it('is a valid Pod by the Kubernetes schema and passes the namespace admission rules', () => {
    expect(() => new Pod(pod as never).validate()).not.toThrow();
    expect(weaverPodAdmissionViolations(pod)).toEqual([]);
  });

  it('runs as uid 1000, non-root, read-only root, no privilege escalation, ALL capabilities dropped, RuntimeDefault seccomp', () => {
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      fsGroup: 1000,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toEqual({
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: 1000,
      runAsGroup: 1000,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect([spec.hostNetwork, spec.hostPID, spec.hostIPC, spec.shareProcessNamespace]).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('writes only to emptyDir volumes (workspace and tmp), never a hostPath', () => {
    expect(spec.volumes).toEqual([
      { name: 'workspace', emptyDir: { sizeLimit: '2Gi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '2Gi' } },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'workspace', mountPath: '/workspace' },
      { name: 'tmp', mountPath: '/tmp' },
    ]);
  });

  it('has no service-account token, no service links and no secret in its environment (RELIABILITY 42)', () => {
    expect(spec.automountServiceAccountToken).toBe(false);
    expect(spec.serviceAccountName).toBeUndefined();
    expect(spec.enableServiceLinks).toBe(false);
    expect(container.envFrom).toBeUndefined();
    expect(container.env).toEqual([
      { name: 'HOME', value: '/tmp' },
      { name: 'TMPDIR', value: '/tmp' },
      { name: 'LANG', value: 'C.UTF-8' },
    ]);
    const text = JSON.stringify(pod);
    for (const forbidden of [
      'ANTHROPIC',
      'OPENAI',
      'GITHUB',
      'TOKEN',
      'SECRET',
      'secretKeyRef',
      'serviceaccount',
    ])
      expect(text).not.toContain(forbidden);
  });

  it('has cpu, memory and ephemeral-storage limits with requests within them, and a pids limit (RELIABILITY 43)', () => {
    expect(container.resources).toEqual({
      requests: { cpu: '250m', memory: '1Gi', 'ephemeral-storage': '1Gi' },
      limits: { cpu: '1', memory: '1Gi', 'ephemeral-storage': '2Gi' },
    });
    const small = claimedPod({ resources: { cpu: '100m', memory: '256Mi', disk: '512Mi' } }).spec!
      .containers[0]!;
    expect(small.resources?.requests).toEqual({ cpu: '100m', memory: '256Mi', 'ephemeral-storage': '512Mi' });
    expect(weaverAgentCommand(testSettings({ pidsLimit: 512 }))).toEqual([
      'bash',
      '-c',
      'ulimit -u 512; exec loom weaver-agent --workspace /workspace',
    ]);
  });

  it('has an activeDeadlineSeconds, never restarts, and carries its state in labels and annotations (RELIABILITY 44)', () => {
    expect(spec.activeDeadlineSeconds).toBe(600);
    expect(spec.restartPolicy).toBe('Never');
    expect(pod.metadata?.labels).toEqual({
      'app.kubernetes.io/managed-by': 'loom',
      'app.kubernetes.io/component': 'weaver',
      'loom.dev/weaver-id': 'abc123',
      'loom.dev/state': 'claimed',
      'loom.dev/job-id': 'delivery-123',
      'loom.dev/owner': 'worker-1',
    });
    expect(pod.metadata?.annotations).toEqual({
      'loom.dev/job-id': 'delivery-123',
      'loom.dev/repository': 'acme/web',
      'loom.dev/claimed-at': '2030-01-01T00:00:00.000Z',
      'loom.dev/expires-at': '2030-01-01T00:15:00.000Z',
      'loom.dev/lease-expires-at': '2030-01-01T00:01:30.000Z',
    });
  });

  it('builds a warm pod whose deadline also covers its wait, and sets the runtime class and egress proxy when configured', () => {
    const warm = buildWeaverPod({ settings: testSettings(), weaverId: 'w1', now, claim: undefined });
    expect(warm.metadata?.labels?.['loom.dev/state']).toBe('warm');
    expect(warm.metadata?.annotations).toEqual({ 'loom.dev/expires-at': '2030-01-01T00:30:00.000Z' });
    expect(warm.spec?.activeDeadlineSeconds).toBe(600 + 1800);
    const gvisor = claimedPod({
      runtimeClassName: 'gvisor',
      egressProxyUrl: 'http://proxy.loom-egress:3128',
    });
    expect(gvisor.spec?.runtimeClassName).toBe('gvisor');
    expect(gvisor.spec?.containers[0]?.env).toContainEqual({
      name: 'HTTPS_PROXY',
      value: 'http://proxy.loom-egress:3128',
    });
    expect(weaverPodAdmissionViolations(gvisor)).toEqual([]);
    expect(spec.runtimeClassName).toBeUndefined();
  });
});

/** Each way a weaver pod could lose a setting, and the rule that must catch it. */
const mutations: Array<[string, (pod: V1Pod) => void, RegExp]> = [
  ['privileged', (pod) => (pod.spec!.containers[0]!.securityContext!.privileged = true), /privileged=true/],
  [
    'runs as root',
    (pod) => {
      pod.spec!.securityContext!.runAsUser = 0;
      pod.spec!.securityContext!.runAsNonRoot = false;
      pod.spec!.containers[0]!.securityContext!.runAsUser = 0;
      pod.spec!.containers[0]!.securityContext!.runAsNonRoot = false;
    },
    /runAsUser=0|runAsNonRoot/,
  ],
  [
    'no drop ALL',
    (pod) => (pod.spec!.containers[0]!.securityContext!.capabilities = { drop: ['NET_RAW'] }),
    /drop ALL/,
  ],
  [
    'adds a capability',
    (pod) => (pod.spec!.containers[0]!.securityContext!.capabilities!.add = ['SYS_ADMIN']),
    /SYS_ADMIN/,
  ],
  [
    'no seccomp',
    (pod) => {
      delete pod.spec!.securityContext!.seccompProfile;
      delete pod.spec!.containers[0]!.securityContext!.seccompProfile;
    },
    /seccompProfile/,
  ],
  [
    'privilege escalation',
    (pod) => (pod.spec!.containers[0]!.securityContext!.allowPrivilegeEscalation = true),
    /allowPrivilegeEscalation/,
  ],
  [
    'hostPath',
    (pod) => pod.spec!.volumes!.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }),
    /hostPath/,
  ],
  ['host network', (pod) => (pod.spec!.hostNetwork = true), /hostNetwork/],
  [
    'automounted token',
    (pod) => (pod.spec!.automountServiceAccountToken = true),
    /automountServiceAccountToken/,
  ],
  [
    'provider key in env',
    (pod) => pod.spec!.containers[0]!.env!.push({ name: 'ANTHROPIC_API_KEY', value: 'sk-ant' }),
    /ANTHROPIC_API_KEY/,
  ],
  [
    'secret via envFrom',
    (pod) => (pod.spec!.containers[0]!.envFrom = [{ secretRef: { name: 'loom-secrets' } }]),
    /envFrom/,
  ],
  ['no memory limit', (pod) => delete pod.spec!.containers[0]!.resources!.limits!.memory, /memory limit/],
  ['no deadline', (pod) => delete pod.spec!.activeDeadlineSeconds, /activeDeadlineSeconds/],
];

describe('weaver pod spec: losing any setting is caught', () => {
  let fake: FakeKubernetesApi;
  let api: WeaverPodApi;

  beforeAll(async () => {
    fake = await startFakeCluster();
    api = createWeaverPodApi(fake.kubeConfig(), testSettings().namespace);
  });
  afterAll(async () => {
    await fake?.close();
  });

  it.each(mutations)(
    '%s: the admission rules name it and the namespace refuses the pod (403)',
    async (_name, mutate, rule) => {
      const pod = structuredClone(claimedPod());
      mutate(pod);
      const violations = weaverPodAdmissionViolations(pod);
      expect(violations.join('; ')).toMatch(rule);
      const refused = await api.create(pod).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(isLoomError(refused, 'forbidden')).toBe(true);
      expect((refused as Error).message).toMatch(rule);
      expect(fake.store.list()).toEqual([]);
    },
  );

  it('admits the unmodified pod through the same client and namespace', async () => {
    const created = await api.create(claimedPod());
    expect(created.metadata?.name).toBe('loom-weaver-abc123');
    await api.remove('loom-weaver-abc123');
    expect(fake.store.list()).toEqual([]);
  });
});

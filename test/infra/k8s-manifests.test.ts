/**
 * Every manifest under infra/k8s, validated offline: the Kubernetes schema (kubernetes-models),
 * kustomizations that list every file and nothing missing (and build with `kubectl kustomize`
 * when it is installed), and what the manifests must mean for Loom: RBAC limited to pods and
 * pods/exec in the weaver namespace, the weaver namespace restricted and covered by Loom's
 * admission policy, restricted server and worker pods, a config that `loadConfig` accepts and
 * whose weaver pod the namespace admits, PDBs and KEDA pointing at what exists.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Pod } from 'kubernetes-models/v1/Pod';
import { describe, expect, it } from 'vitest';
import { defaultQueueName } from '../../queue/create-job-queue.js';
import { loadConfig } from '../../src/config/index.js';
import { buildWeaverPod, kubernetesWeaverSettings } from '../../src/weaver/kubernetes/index.js';
import {
  podSecurityStandardViolations,
  weaverPodAdmissionViolations,
} from '../weaver-kubernetes/support/weaver-pod-admission.js';
import {
  find,
  k8sRoot,
  kustomizeBuild,
  loadManifests,
  validateManifest,
  yamlFilesUnder,
  type Manifest,
} from './support/load-manifests.js';

const files = yamlFilesUnder(k8sRoot);
const isKustomization = (manifest: Manifest): boolean =>
  manifest.apiVersion.startsWith('kustomize.config.k8s.io/');
const all = files.flatMap(loadManifests);
const base = yamlFilesUnder(path.join(k8sRoot, 'base'))
  .flatMap(loadManifests)
  .filter((manifest) => !isKustomization(manifest));

describe('infra/k8s manifests', () => {
  it('are all valid by the Kubernetes schema (built-in kinds)', () => {
    const checked = all.filter(
      (manifest) =>
        !isKustomization(manifest) && !['ScaledObject', 'KubeletConfiguration'].includes(manifest.kind),
    );
    expect(checked.length).toBeGreaterThan(25);
    for (const manifest of checked) validateManifest(manifest);
  });

  it('are each listed by a kustomization, which lists nothing that is missing', () => {
    const listed = new Set<string>();
    for (const kustomization of all.filter(isKustomization)) {
      const directory = path.dirname(path.join(k8sRoot, '..', '..', kustomization.file));
      for (const entry of [
        ...(kustomization.resources ?? []),
        ...(kustomization.components ?? []),
      ] as string[]) {
        const target = path.resolve(directory, entry);
        expect(existsSync(target), `${kustomization.file} lists ${entry}`).toBe(true);
        listed.add(target);
      }
    }
    const resourceFiles = files.filter(
      (file) => !file.includes(`${path.sep}examples${path.sep}`) && !/kustomization\.yaml$/.test(file),
    );
    for (const file of resourceFiles)
      expect(listed.has(file), `${file} is not listed in a kustomization`).toBe(true);
  });

  it.skipIf(kustomizeBuild(path.join(k8sRoot, 'base')) === undefined)(
    'build with kubectl kustomize, base and example overlay',
    () => {
      const built = kustomizeBuild(path.join(k8sRoot, 'base'))!;
      expect(built.length).toBe(base.length);
      for (const manifest of built) validateManifest(manifest);
      expect(
        built.every((manifest) => manifest.metadata.labels?.['app.kubernetes.io/part-of'] === 'loom'),
      ).toBe(true);
      const overlay = kustomizeBuild(path.join(k8sRoot, 'overlays', 'example'))!;
      const config = find(overlay, 'ConfigMap', 'loom-config');
      expect(config.data.LOOM_WEAVER_RUNTIME_CLASS).toBe('gvisor');
      expect(find(overlay, 'RuntimeClass', 'gvisor').handler).toBe('runsc');
      expect(find(overlay, 'ScaledObject', 'loom-worker').spec.scaleTargetRef.name).toBe('loom-worker');
    },
  );
});

describe('infra/k8s: the weaver namespace and RBAC', () => {
  it('labels the weaver namespace for the restricted Pod Security Standard and for Loom’s admission policy', () => {
    const namespace = find(base, 'Namespace', 'loom-weavers');
    expect(namespace.metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'latest',
      'loom.dev/weavers': 'true',
    });
    const policy = find(base, 'ValidatingAdmissionPolicy', 'loom-weaver-pods');
    const binding = find(base, 'ValidatingAdmissionPolicyBinding', 'loom-weaver-pods');
    expect(binding.spec).toMatchObject({ policyName: 'loom-weaver-pods', validationActions: ['Deny'] });
    expect(binding.spec.matchResources.namespaceSelector.matchLabels).toEqual({ 'loom.dev/weavers': 'true' });
    expect(policy.spec.failurePolicy).toBe('Fail');
    const expressions = (policy.spec.validations as Array<{ expression: string }>)
      .map((rule) => rule.expression)
      .join('\n');
    for (const field of [
      'automountServiceAccountToken',
      'enableServiceLinks',
      'activeDeadlineSeconds',
      "'ephemeral-storage'",
      'envFrom',
      'valueFrom',
      'hostPath',
      'projected',
    ])
      expect(expressions).toContain(field);
  });

  it('lets the worker manage pods and exec into them in the weaver namespace only', () => {
    expect(
      all.some((manifest) => manifest.kind === 'ClusterRole' || manifest.kind === 'ClusterRoleBinding'),
    ).toBe(false);
    const roles = all.filter((manifest) => manifest.kind === 'Role');
    expect(roles.map((role) => `${role.metadata.namespace}/${role.metadata.name}`)).toEqual([
      'loom-weavers/loom-weaver-manager',
    ]);
    expect(roles[0]?.rules).toEqual([
      { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list', 'watch', 'create', 'patch', 'delete'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create', 'get'] },
    ]);
    const binding = find(base, 'RoleBinding', 'loom-worker-weaver-manager');
    expect(binding.metadata.namespace).toBe('loom-weavers');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'loom-worker', namespace: 'loom' }]);
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: 'loom-weaver-manager',
    });
    expect(find(base, 'Deployment', 'loom-worker').spec.template.spec.serviceAccountName).toBe('loom-worker');
    const server = find(base, 'Deployment', 'loom-server').spec.template.spec;
    expect([server.serviceAccountName, server.automountServiceAccountToken]).toEqual(['loom-server', false]);
  });

  it('caps the weaver namespace with a quota', () => {
    const quota = find(base, 'ResourceQuota', 'weaver-quota');
    expect(quota.metadata.namespace).toBe('loom-weavers');
    expect(Object.keys(quota.spec.hard).sort()).toEqual([
      'limits.cpu',
      'limits.ephemeral-storage',
      'limits.memory',
      'pods',
    ]);
  });
});

describe('infra/k8s: server and worker', () => {
  const deployments = base.filter(
    (manifest) => manifest.kind === 'Deployment' && manifest.metadata.namespace === 'loom',
  );

  it('run restricted pods with limits, like the namespace demands', () => {
    expect(deployments.map((deployment) => deployment.metadata.name).sort()).toEqual([
      'loom-server',
      'loom-worker',
    ]);
    for (const deployment of deployments) {
      const template = { metadata: {}, spec: deployment.spec.template.spec };
      expect(podSecurityStandardViolations(template), deployment.metadata.name).toEqual([]);
      for (const container of deployment.spec.template.spec.containers) {
        expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
        expect(Object.keys(container.resources.limits).sort()).toEqual([
          'cpu',
          'ephemeral-storage',
          'memory',
        ]);
        expect(container.envFrom).toEqual([
          { configMapRef: { name: 'loom-config' } },
          { secretRef: { name: 'loom-secrets' } },
        ]);
      }
    }
  });

  it('give a worker on SIGTERM less time to release its jobs than Kubernetes waits (RELIABILITY 26)', () => {
    const worker = find(base, 'Deployment', 'loom-worker').spec.template.spec;
    const shutdown = Number(
      worker.containers[0].env.find((entry: { name: string }) => entry.name === 'LOOM_SHUTDOWN_TIMEOUT_MS')
        .value,
    );
    expect(shutdown).toBeLessThan(worker.terminationGracePeriodSeconds * 1000);
  });

  it('wire the Service, Ingress, PDBs and KEDA to what exists', () => {
    const serverLabels = find(base, 'Deployment', 'loom-server').spec.template.metadata.labels;
    const workerLabels = find(base, 'Deployment', 'loom-worker').spec.template.metadata.labels;
    expect(serverLabels).toMatchObject(find(base, 'Service', 'loom-server').spec.selector);
    expect(serverLabels).toMatchObject(
      find(base, 'PodDisruptionBudget', 'loom-server').spec.selector.matchLabels,
    );
    expect(workerLabels).toMatchObject(
      find(base, 'PodDisruptionBudget', 'loom-worker').spec.selector.matchLabels,
    );
    const backend = find(base, 'Ingress', 'loom-server').spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: 'loom-server', port: { name: 'http' } });
    expect(find(base, 'Deployment', 'loom-server').spec.template.spec.containers[0].ports).toEqual([
      { name: 'http', containerPort: 3000 },
    ]);
    const scaled = find(all, 'ScaledObject', 'loom-worker');
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.spec.scaleTargetRef.name).toBe('loom-worker');
    expect(scaled.spec.triggers[0].metadata.listName).toBe(`bull:${defaultQueueName}:wait`);
  });

  it('configure a weaver backend that loadConfig accepts, whose pods the weaver namespace admits', () => {
    const config = find(base, 'ConfigMap', 'loom-config').data as Record<string, string>;
    const loaded = loadConfig({ ...config, LOOM_JWT_SECRET: 'x'.repeat(32) });
    expect(loaded.weaver).toBe('kubernetes');
    expect(loaded.kubernetesWeaver.namespace).toBe(find(base, 'Namespace', 'loom-weavers').metadata.name);
    const settings = kubernetesWeaverSettings(loaded.kubernetesWeaver);
    const claim = { jobId: 'job', repository: 'acme/web', ownerId: 'loom-worker-0', now: Date.now() };
    for (const pod of [
      buildWeaverPod({ settings, weaverId: 'manifest', now: Date.now(), claim }),
      buildWeaverPod({
        settings: { ...settings, runtimeClassName: 'gvisor' },
        weaverId: 'warm',
        now: Date.now(),
        claim: undefined,
      }),
    ]) {
      expect(() => new Pod(pod as never).validate()).not.toThrow();
      expect(weaverPodAdmissionViolations(pod)).toEqual([]);
      expect(pod.metadata?.namespace).toBe('loom-weavers');
    }
    // Limits the quota can hold at least one of, and the proxy the NetworkPolicy lets weavers reach.
    expect(config.LOOM_WEAVER_EGRESS_PROXY).toBe('http://egress-proxy.loom-egress.svc.cluster.local:3128');
    expect(find(base, 'Service', 'egress-proxy').metadata.namespace).toBe('loom-egress');
  });

  it('keep secrets out of the ConfigMap and out of the examples’ real values', () => {
    const config = find(base, 'ConfigMap', 'loom-config').data as Record<string, string>;
    for (const name of Object.keys(config)) expect(name).not.toMatch(/KEY|TOKEN|SECRET|PASSWORD/);
    const secret = find(all, 'Secret', 'loom-secrets');
    for (const value of Object.values(secret.stringData as Record<string, string>))
      expect(value === '123456' || value.includes('CHANGE-ME')).toBe(true);
  });
});

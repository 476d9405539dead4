/**
 * The weaver pod, as a pure function of the settings. Every security setting is spelled out even
 * where it is a default, so the restricted Pod Security Standard admits it and a spec test can
 * assert each one (RELIABILITY 40, 42, 43, 44).
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';
import type { KubernetesWeaverSettings } from './kubernetes-weaver-settings.js';
import { smallerQuantity } from './smaller-quantity.js';
import {
  claimedAtAnnotation,
  componentLabel,
  componentValue,
  expiresAtAnnotation,
  jobIdAnnotation,
  jobIdLabel,
  leaseExpiresAtAnnotation,
  managedByLabel,
  managedByValue,
  ownerLabel,
  repositoryAnnotation,
  stateLabel,
  toLabelValue,
  weaverIdLabel,
} from './weaver-pod-labels.js';

export const weaverContainerName = 'weaver';
export const weaverWorkspacePath = '/workspace';
/** The uid and gid everything in the pod runs as (the `loom` user of the weaver image). */
export const weaverUserId = 1000;
/** Written once the container has run the agent once (which fills tsx's compile cache in /tmp). */
const readyMarker = '/tmp/.loom-weaver-ready';

/** Who a claimed pod serves; absent for a warm pod. */
export interface WeaverPodClaim {
  jobId: string;
  repository: string | undefined;
  ownerId: string;
  /** Milliseconds since the epoch. */
  now: number;
}

export interface BuildWeaverPodInput {
  settings: KubernetesWeaverSettings;
  weaverId: string;
  now: number;
  /** Undefined: a warm pod. */
  claim: WeaverPodClaim | undefined;
}

/** The pod name of a weaver id. */
export function weaverPodName(weaverId: string): string {
  return `loom-weaver-${weaverId}`;
}

/**
 * The command exec'd in the pod to serve the weaver protocol. bash, because dash has no `-u`;
 * RLIMIT_NPROC bounds a fork bomb (see specs/kubernetes.md for why it is per uid).
 */
export function weaverAgentCommand(settings: KubernetesWeaverSettings): string[] {
  return [
    'bash',
    '-c',
    `ulimit -u ${settings.pidsLimit}; exec loom weaver-agent --workspace ${weaverWorkspacePath}`,
  ];
}

/** Labels and annotations of a claimed pod (also the claim patch of a warm one). */
export function claimMetadata(
  settings: KubernetesWeaverSettings,
  claim: WeaverPodClaim,
): { labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    labels: {
      [stateLabel]: 'claimed',
      [jobIdLabel]: toLabelValue(claim.jobId),
      [ownerLabel]: toLabelValue(claim.ownerId),
    },
    annotations: {
      [jobIdAnnotation]: claim.jobId,
      [repositoryAnnotation]: claim.repository ?? '',
      [claimedAtAnnotation]: new Date(claim.now).toISOString(),
      // A little beyond the deadline, so Kubernetes reports DeadlineExceeded before the reaper acts.
      [expiresAtAnnotation]: new Date(claim.now + (settings.deadlineSeconds + 300) * 1000).toISOString(),
      [leaseExpiresAtAnnotation]: new Date(claim.now + settings.leaseTtlMs).toISOString(),
    },
  };
}

function weaverContainer(settings: KubernetesWeaverSettings): V1Container {
  const { cpu, memory, disk } = settings.resources;
  const proxy = settings.egressProxyUrl;
  const proxyEnvironment =
    proxy === undefined
      ? []
      : ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy'].map((name) => ({ name, value: proxy }));
  return {
    name: weaverContainerName,
    image: settings.image,
    imagePullPolicy: 'IfNotPresent',
    // The image's entrypoint (tini) stays PID 1 and reaps what exec'd commands leave behind.
    args: [
      'sh',
      '-c',
      `loom weaver-agent --workspace ${weaverWorkspacePath} </dev/null >/dev/null 2>&1; touch ${readyMarker}; exec sleep infinity`,
    ],
    workingDir: weaverWorkspacePath,
    // Written out in full: nothing from the worker, no service links, no secrets (RELIABILITY 42).
    env: [
      { name: 'HOME', value: '/tmp' },
      { name: 'TMPDIR', value: '/tmp' },
      { name: 'LANG', value: 'C.UTF-8' },
      ...proxyEnvironment,
      ...(proxy === undefined ? [] : [{ name: 'NO_PROXY', value: 'localhost,127.0.0.1' }]),
    ],
    resources: {
      requests: {
        cpu: smallerQuantity('250m', cpu),
        memory,
        'ephemeral-storage': smallerQuantity('1Gi', disk),
      },
      limits: { cpu, memory, 'ephemeral-storage': disk },
    },
    securityContext: {
      privileged: false,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      runAsUser: weaverUserId,
      runAsGroup: weaverUserId,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    readinessProbe: { exec: { command: ['test', '-f', readyMarker] }, periodSeconds: 2, failureThreshold: 1 },
    volumeMounts: [
      { name: 'workspace', mountPath: weaverWorkspacePath },
      { name: 'tmp', mountPath: '/tmp' },
    ],
  };
}

/** The pod of one weaver: warm (no claim) or claimed by a job. */
export function buildWeaverPod(input: BuildWeaverPodInput): V1Pod {
  const { settings, weaverId, now, claim } = input;
  const claimed = claim === undefined ? undefined : claimMetadata(settings, claim);
  const warmExpiry = new Date(now + settings.warmMaxAgeSeconds * 1000).toISOString();
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: weaverPodName(weaverId),
      namespace: settings.namespace,
      labels: {
        [managedByLabel]: managedByValue,
        [componentLabel]: componentValue,
        [weaverIdLabel]: weaverId,
        [stateLabel]: 'warm',
        ...claimed?.labels,
      },
      annotations: claimed?.annotations ?? { [expiresAtAnnotation]: warmExpiry },
    },
    spec: {
      // A warm pod's deadline also covers its wait; claiming lowers it to "now + deadline".
      activeDeadlineSeconds:
        settings.deadlineSeconds + (claim === undefined ? settings.warmMaxAgeSeconds : 0),
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: 5,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      hostNetwork: false,
      hostPID: false,
      hostIPC: false,
      shareProcessNamespace: false,
      ...(settings.runtimeClassName === undefined ? {} : { runtimeClassName: settings.runtimeClassName }),
      securityContext: {
        runAsNonRoot: true,
        runAsUser: weaverUserId,
        runAsGroup: weaverUserId,
        fsGroup: weaverUserId,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      containers: [weaverContainer(settings)],
      volumes: [
        { name: 'workspace', emptyDir: { sizeLimit: settings.resources.disk } },
        { name: 'tmp', emptyDir: { sizeLimit: settings.resources.disk } },
      ],
    },
  };
}

/**
 * The admission rules a weaver namespace enforces, written out independently of the code that
 * builds the pod: the Pod Security Standards "restricted" profile (which includes "baseline"), as
 * `pod-security.kubernetes.io/enforce: restricted` applies it, plus Loom's own
 * ValidatingAdmissionPolicy (infra/k8s/base/weaver-admission-policy.yaml): no service-account
 * token, no secrets in the environment, limits on cpu, memory and ephemeral storage, a deadline.
 * The fake API server admits pods through it, and the spec tests use it as the oracle.
 */
import type { V1Container, V1Pod } from '@kubernetes/client-node';

const allowedVolumeKinds = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);
const baselineCapabilities = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const secretLikeName = /KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL|PRIVATE/i;

function containersOf(pod: V1Pod): V1Container[] {
  const spec = pod.spec;
  return [
    ...(spec?.initContainers ?? []),
    ...(spec?.containers ?? []),
    ...((spec?.ephemeralContainers ?? []) as V1Container[]),
  ];
}

/** Baseline + restricted Pod Security Standard violations, one line each. */
export function podSecurityStandardViolations(pod: V1Pod): string[] {
  const spec = pod.spec ?? { containers: [] };
  const podContext = spec.securityContext ?? {};
  const problems: string[] = [];
  if (spec.hostNetwork === true) problems.push('hostNetwork=true');
  if (spec.hostPID === true) problems.push('hostPID=true');
  if (spec.hostIPC === true) problems.push('hostIPC=true');
  for (const volume of spec.volumes ?? []) {
    const kinds = Object.keys(volume).filter((key) => key !== 'name');
    if (kinds.includes('hostPath')) problems.push(`volume ${volume.name} uses hostPath`);
    else if (kinds.some((kind) => !allowedVolumeKinds.has(kind)))
      problems.push(`volume ${volume.name} has a restricted volume type`);
  }
  if (podContext.seccompProfile?.type === 'Unconfined') problems.push('pod seccompProfile Unconfined');
  if (podContext.runAsUser === 0) problems.push('pod runAsUser=0');
  for (const container of containersOf(pod)) {
    const context = container.securityContext ?? {};
    const name = `container ${container.name}`;
    if (context.privileged === true) problems.push(`${name} privileged=true`);
    if (context.allowPrivilegeEscalation !== false)
      problems.push(`${name} allowPrivilegeEscalation != false`);
    const runAsNonRoot = context.runAsNonRoot ?? podContext.runAsNonRoot;
    if (runAsNonRoot !== true) problems.push(`${name} runAsNonRoot != true`);
    if ((context.runAsUser ?? podContext.runAsUser) === 0) problems.push(`${name} runAsUser=0`);
    const seccomp = context.seccompProfile?.type ?? podContext.seccompProfile?.type;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost')
      problems.push(`${name} seccompProfile not RuntimeDefault/Localhost`);
    if (!(context.capabilities?.drop ?? []).includes('ALL'))
      problems.push(`${name} capabilities do not drop ALL`);
    for (const added of context.capabilities?.add ?? []) {
      if (added !== 'NET_BIND_SERVICE') problems.push(`${name} adds capability ${added}`);
      if (!baselineCapabilities.has(added)) problems.push(`${name} adds non-baseline capability ${added}`);
    }
    if ((container.ports ?? []).some((port) => (port.hostPort ?? 0) !== 0))
      problems.push(`${name} uses a hostPort`);
    if (context.procMount !== undefined && context.procMount !== 'Default')
      problems.push(`${name} procMount ${context.procMount}`);
  }
  return problems;
}

/** Loom's own rules for weaver pods (RELIABILITY 42, 43, 44), on top of the standard. */
export function loomWeaverPolicyViolations(pod: V1Pod): string[] {
  const spec = pod.spec ?? { containers: [] };
  const problems: string[] = [];
  if (spec.automountServiceAccountToken !== false) problems.push('automountServiceAccountToken != false');
  if (spec.serviceAccountName !== undefined && spec.serviceAccountName !== 'default')
    problems.push('uses a service account');
  if (spec.enableServiceLinks !== false) problems.push('enableServiceLinks != false (service env vars)');
  if (spec.activeDeadlineSeconds === undefined || spec.activeDeadlineSeconds <= 0)
    problems.push('no activeDeadlineSeconds');
  if ((spec.volumes ?? []).some((volume) => volume.secret !== undefined || volume.projected !== undefined))
    problems.push('mounts a secret or projected volume');
  for (const container of containersOf(pod)) {
    const name = `container ${container.name}`;
    if ((container.envFrom ?? []).length > 0) problems.push(`${name} uses envFrom`);
    for (const variable of container.env ?? []) {
      if (variable.valueFrom !== undefined) problems.push(`${name} env ${variable.name} uses valueFrom`);
      if (secretLikeName.test(variable.name))
        problems.push(`${name} env ${variable.name} looks like a secret`);
    }
    for (const resource of ['cpu', 'memory', 'ephemeral-storage'])
      if (container.resources?.limits?.[resource] === undefined)
        problems.push(`${name} has no ${resource} limit`);
  }
  return problems;
}

/** Everything the weaver namespace would refuse. */
export function weaverPodAdmissionViolations(pod: V1Pod): string[] {
  return [...podSecurityStandardViolations(pod), ...loomWeaverPolicyViolations(pod)];
}

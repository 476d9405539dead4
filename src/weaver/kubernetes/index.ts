/**
 * The Kubernetes weaver backend (LOOM_WEAVER=kubernetes): one locked-down pod per job, tools over
 * an exec stream running `loom weaver-agent`. See specs/kubernetes.md.
 */
export { createKubernetesWeavers } from './create-kubernetes-weavers.js';
export type {
  KubernetesWeaver,
  KubernetesWeavers,
  KubernetesWeaversOptions,
  OpenKubernetesWeaverRequest,
} from './create-kubernetes-weavers.js';
export { createWeaverPodApi } from './kubernetes-pod-api.js';
export type { PodWatchEvent, WeaverPodApi } from './kubernetes-pod-api.js';
export type { PodExecEnd, PodExecSession } from './open-pod-exec.js';
export { kubernetesWeaverDefaults, kubernetesWeaverSettings } from './kubernetes-weaver-settings.js';
export type { KubernetesWeaverSettings } from './kubernetes-weaver-settings.js';
export {
  buildWeaverPod,
  claimMetadata,
  weaverAgentCommand,
  weaverContainerName,
  weaverPodName,
  weaverUserId,
  weaverWorkspacePath,
} from './build-weaver-pod.js';
export type { BuildWeaverPodInput, WeaverPodClaim } from './build-weaver-pod.js';
export { describeWeaverPod } from './describe-weaver-pod.js';
export type { WeaverPodCondition } from './describe-weaver-pod.js';
export { decidePodsToReap, unrecognisedGraceMs } from './decide-pods-to-reap.js';
export type { ReapDecision, ReapReason } from './decide-pods-to-reap.js';
export { reapWeaverPods } from './reap-weaver-pods.js';
export { createConcurrencyGate } from './concurrency-gate.js';
export type { ConcurrencyGate, GateWaitNotice } from './concurrency-gate.js';
export * from './weaver-pod-labels.js';

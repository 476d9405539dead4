/**
 * The labels and annotations that carry a weaver pod's state. Kubernetes is the source of truth:
 * any worker (or a restarted one) can tell from them which pods are Loom's, which are warm or
 * claimed, who holds them, and when they expire; nothing about a pod lives only in memory.
 */

/** Every pod Loom manages carries this label (and the reaper never looks at any other pod). */
export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'loom';
export const componentLabel = 'app.kubernetes.io/component';
export const componentValue = 'weaver';
export const weaverIdLabel = 'loom.dev/weaver-id';
/** `warm` (ready, waiting to be claimed) or `claimed` (serving one job). */
export const stateLabel = 'loom.dev/state';
/** The job id, reduced to what a label value may hold; the exact id is in the annotation. */
export const jobIdLabel = 'loom.dev/job-id';
/** The worker process holding a claimed pod (reduced like the job id). */
export const ownerLabel = 'loom.dev/owner';

export const jobIdAnnotation = 'loom.dev/job-id';
export const repositoryAnnotation = 'loom.dev/repository';
/** Hard expiry (ISO 8601): past it the reaper removes the pod whatever its state. */
export const expiresAtAnnotation = 'loom.dev/expires-at';
/** The owner renews this (ISO 8601); past it a claimed pod is an orphan of a dead worker. */
export const leaseExpiresAtAnnotation = 'loom.dev/lease-expires-at';
export const claimedAtAnnotation = 'loom.dev/claimed-at';

export type WeaverPodState = 'warm' | 'claimed';

/** Label selector of every Loom weaver pod. */
export const managedPodsSelector = `${managedByLabel}=${managedByValue},${componentLabel}=${componentValue}`;

/** Label selector of warm pods. */
export const warmPodsSelector = `${managedPodsSelector},${stateLabel}=warm`;

/**
 * A label value from any text: at most 63 characters of `[A-Za-z0-9._-]`, starting and ending
 * alphanumeric (Kubernetes' rule). Used for selection only; exact values go into annotations.
 */
export function toLabelValue(text: string): string {
  const cleaned = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return cleaned === '' ? 'none' : cleaned;
}

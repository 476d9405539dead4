/**
 * Which weaver pods the reaper removes, decided from labels, annotations and status alone (pure),
 * so any worker can reap what another one left behind.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { timeOf } from './describe-weaver-pod.js';
import {
  componentLabel,
  componentValue,
  expiresAtAnnotation,
  leaseExpiresAtAnnotation,
  managedByLabel,
  managedByValue,
  stateLabel,
} from './weaver-pod-labels.js';

export type ReapReason =
  /** Past its hard expiry (a warm pod nobody claimed, a job far beyond its deadline). */
  | 'expired'
  /** Claimed, but its owner stopped renewing the lease: the worker died. */
  | 'orphaned'
  /** Failed or succeeded, e.g. DeadlineExceeded: it only holds resources now. */
  | 'finished'
  /** Loom's labels but no state or expiry we understand, and old enough not to be mid-creation. */
  | 'unrecognised';

export interface ReapDecision {
  name: string;
  reason: ReapReason;
}

/** A pod carrying Loom's labels but no readable state is left alone for this long. */
export const unrecognisedGraceMs = 15 * 60_000;

function reasonToReap(pod: V1Pod, now: number): ReapReason | undefined {
  const labels = pod.metadata?.labels ?? {};
  const annotations = pod.metadata?.annotations ?? {};
  const phase = pod.status?.phase;
  if (phase === 'Failed' || phase === 'Succeeded') return 'finished';
  const expiresAt = timeOf(annotations[expiresAtAnnotation]);
  if (expiresAt !== undefined && expiresAt <= now) return 'expired';
  const state = labels[stateLabel];
  if (state === 'claimed') {
    const leaseExpiresAt = timeOf(annotations[leaseExpiresAtAnnotation]);
    if (leaseExpiresAt !== undefined && leaseExpiresAt <= now) return 'orphaned';
  }
  const understood =
    (state === 'warm' || state === 'claimed') &&
    expiresAt !== undefined &&
    (state === 'warm' || timeOf(annotations[leaseExpiresAtAnnotation]) !== undefined);
  const createdAt = timeOf(pod.metadata?.creationTimestamp) ?? now;
  if (!understood && now - createdAt >= unrecognisedGraceMs) return 'unrecognised';
  return undefined;
}

/** The pods to delete and why; pods without Loom's labels, or already being deleted, never appear. */
export function decidePodsToReap(pods: readonly V1Pod[], now: number): ReapDecision[] {
  const decisions: ReapDecision[] = [];
  for (const pod of pods) {
    const labels = pod.metadata?.labels ?? {};
    const name = pod.metadata?.name;
    if (name === undefined || pod.metadata?.deletionTimestamp !== undefined) continue;
    if (labels[managedByLabel] !== managedByValue || labels[componentLabel] !== componentValue) continue;
    const reason = reasonToReap(pod, now);
    if (reason !== undefined) decisions.push({ name, reason });
  }
  return decisions;
}

/**
 * What a pod's status means for a weaver, as a pure function: still starting, ready to serve,
 * or failed with a reason a person can act on (a deadline, an image that cannot be pulled).
 */
import type { V1Pod } from '@kubernetes/client-node';

export type WeaverPodCondition =
  | { kind: 'starting'; detail: string }
  | { kind: 'ready' }
  | { kind: 'failed'; reason: string; message: string }
  | { kind: 'deleting' };

/**
 * Container waiting reasons that will not resolve by waiting longer. Image pull errors are not
 * among them (a registry hiccup heals); they show in the detail of a start that times out.
 */
const hopelessWaitingReasons = new Set([
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
]);

export function describeWeaverPod(pod: V1Pod): WeaverPodCondition {
  if (pod.metadata?.deletionTimestamp !== undefined) return { kind: 'deleting' };
  const status = pod.status ?? {};
  const phase = status.phase ?? 'Pending';
  if (phase === 'Failed' || phase === 'Succeeded') {
    return {
      kind: 'failed',
      reason: status.reason ?? phase,
      message: status.message ?? `The pod ${phase === 'Failed' ? 'failed' : 'stopped'}.`,
    };
  }
  for (const container of status.containerStatuses ?? []) {
    const waiting = container.state?.waiting;
    if (waiting?.reason !== undefined && hopelessWaitingReasons.has(waiting.reason)) {
      return { kind: 'failed', reason: waiting.reason, message: waiting.message ?? waiting.reason };
    }
    const terminated = container.state?.terminated;
    if (terminated !== undefined) {
      return {
        kind: 'failed',
        reason: terminated.reason ?? 'ContainerTerminated',
        message: terminated.message ?? `The container exited with code ${terminated.exitCode}.`,
      };
    }
  }
  const ready = (status.containerStatuses ?? []).some((container) => container.ready === true);
  if (phase === 'Running' && ready) return { kind: 'ready' };
  const waiting = status.containerStatuses?.find((container) => container.state?.waiting?.reason)?.state
    ?.waiting;
  if (waiting !== undefined)
    return { kind: 'starting', detail: `${waiting.reason}: ${waiting.message ?? ''}`.trim() };
  return { kind: 'starting', detail: phase === 'Running' ? 'Running, not ready yet' : phase };
}

/** Milliseconds since the epoch of a Kubernetes time (a Date from the client, a string from a watch). */
export function timeOf(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

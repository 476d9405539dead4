/**
 * Why the exec stream into a weaver pod ended, for the model (as a tool's error result) and for
 * the worker (as a thrown LoomError): the pod ran past its deadline, was deleted, failed, or the
 * agent or the stream itself stopped. Kubernetes may publish the pod's end a moment after the
 * stream closes, so a pod that still looks alive is read again a few times.
 */
import type { V1Status } from '@kubernetes/client-node';
import { setTimeout as sleep } from 'node:timers/promises';
import { LoomError } from '../../errors/index.js';
import { describeWeaverPod } from './describe-weaver-pod.js';
import type { WeaverPodApi } from './kubernetes-pod-api.js';
import type { PodExecEnd } from './open-pod-exec.js';

export interface ExplainExecEndOptions {
  /** Reads of a pod that still looks alive (default 6). */
  attempts?: number;
  /** Pause between reads (default 500 ms). */
  pauseMs?: number;
}

function describeStatus(status: V1Status): string {
  const exitCode = status.details?.causes?.find((cause) => cause.reason === 'ExitCode')?.message;
  if (exitCode !== undefined) return `it exited with code ${exitCode}`;
  return status.message ?? status.status ?? 'unknown status';
}

export async function explainExecEnd(
  api: WeaverPodApi,
  podName: string,
  end: PodExecEnd,
  options: ExplainExecEndOptions = {},
): Promise<LoomError> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const pod = await api.read(podName).catch(() => undefined);
    if (pod === undefined) {
      return new LoomError(
        'dependency_unavailable',
        `Weaver pod ${podName} was deleted while it was in use.`,
        {
          details: { pod: podName, reason: 'Deleted' },
        },
      );
    }
    const condition = describeWeaverPod(pod);
    if (condition.kind === 'failed' && condition.reason === 'DeadlineExceeded') {
      const deadline = pod.spec?.activeDeadlineSeconds;
      return new LoomError(
        'timeout',
        `Weaver pod ${podName} ran past its deadline (activeDeadlineSeconds ${deadline}) and Kubernetes stopped it (DeadlineExceeded). The job ran out of time.`,
        { details: { pod: podName, reason: 'DeadlineExceeded' }, retryable: false },
      );
    }
    if (condition.kind === 'failed') {
      return new LoomError(
        'dependency_unavailable',
        `Weaver pod ${podName} stopped: ${condition.reason}: ${condition.message}`,
        { details: { pod: podName, reason: condition.reason } },
      );
    }
    if (condition.kind === 'deleting') {
      return new LoomError(
        'dependency_unavailable',
        `Weaver pod ${podName} was deleted while it was in use.`,
        {
          details: { pod: podName, reason: 'Deleted' },
        },
      );
    }
    if (attempt < attempts - 1) await sleep(options.pauseMs ?? 500);
  }
  const message =
    end.status === undefined
      ? `The exec stream into weaver pod ${podName} dropped (the pod is still running).`
      : `The weaver agent in pod ${podName} stopped: ${describeStatus(end.status)}.`;
  return new LoomError('dependency_unavailable', message, { details: { pod: podName } });
}

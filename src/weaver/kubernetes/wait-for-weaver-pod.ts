/**
 * Waits for a weaver pod to be running and ready, by watching it (a dropped watch is reopened),
 * and fails early and clearly when it cannot become ready: deleted, failed, a broken image name.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { LoomError } from '../../errors/index.js';
import { describeWeaverPod } from './describe-weaver-pod.js';
import type { PodWatchEvent, WeaverPodApi } from './kubernetes-pod-api.js';

export interface WaitForWeaverPodOptions {
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Pause before reopening a watch the server ended. */
  rewatchDelayMs?: number;
}

/** Resolves with the ready pod; rejects with `timeout`, `cancelled` or `dependency_unavailable`. */
export function waitForWeaverPod(
  api: WeaverPodApi,
  name: string,
  options: WaitForWeaverPodOptions,
): Promise<V1Pod> {
  const rewatchDelayMs = options.rewatchDelayMs ?? 500;
  return new Promise((resolve, reject) => {
    let lastSeen = 'not seen yet';
    let settled = false;
    let stopWatch: (() => void) | undefined;
    const finish = (error: LoomError | undefined, pod?: V1Pod): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      stopWatch?.();
      if (error === undefined) resolve(pod as V1Pod);
      else reject(error);
    };
    const timer = setTimeout(() => {
      const seconds = Math.round(options.timeoutMs / 1000);
      finish(
        new LoomError(
          'timeout',
          `Weaver pod ${name} was not ready within ${seconds} s (last seen: ${lastSeen}).`,
        ),
      );
    }, options.timeoutMs);
    const onAbort = (): void =>
      finish(new LoomError('cancelled', `Waiting for weaver pod ${name} was cancelled.`));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const onEvent = (type: PodWatchEvent, pod: V1Pod): void => {
      if (type === 'DELETED') {
        finish(
          new LoomError('dependency_unavailable', `Weaver pod ${name} was deleted before it was ready.`),
        );
        return;
      }
      if (type !== 'ADDED' && type !== 'MODIFIED') return;
      const condition = describeWeaverPod(pod);
      if (condition.kind === 'ready') finish(undefined, pod);
      else if (condition.kind === 'deleting')
        finish(new LoomError('dependency_unavailable', `Weaver pod ${name} is being deleted.`));
      else if (condition.kind === 'failed')
        finish(
          new LoomError(
            'dependency_unavailable',
            `Weaver pod ${name} could not start: ${condition.reason}: ${condition.message}`,
            { details: { reason: condition.reason } },
          ),
        );
      else lastSeen = condition.detail;
    };
    const startWatch = (): void => {
      if (settled) return;
      api
        .watch(name, onEvent, (error) => {
          if (error !== null && error !== undefined)
            lastSeen = `watch failed: ${String((error as Error).message ?? error)}`;
          if (!settled) setTimeout(startWatch, rewatchDelayMs).unref();
        })
        .then(
          (watch) => {
            stopWatch = watch.stop;
            if (settled) watch.stop();
          },
          () => {
            if (!settled) setTimeout(startWatch, rewatchDelayMs).unref();
          },
        );
    };
    startWatch();
  });
}

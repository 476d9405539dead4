/**
 * The reaper: removes weaver pods that are expired, orphaned by a dead worker, or finished (e.g.
 * DeadlineExceeded). Every worker runs it; deleting a pod twice is harmless.
 */
import type { Logger } from '../../logging/index.js';
import { decidePodsToReap, type ReapDecision } from './decide-pods-to-reap.js';
import type { WeaverPodApi } from './kubernetes-pod-api.js';
import { managedPodsSelector } from './weaver-pod-labels.js';

/** Lists Loom's pods, deletes those `decidePodsToReap` names, and returns the decisions. */
export async function reapWeaverPods(
  api: WeaverPodApi,
  now: number,
  logger: Logger,
): Promise<ReapDecision[]> {
  const decisions = decidePodsToReap(await api.list(managedPodsSelector), now);
  for (const decision of decisions) {
    try {
      await api.remove(decision.name);
      logger.info({ pod: decision.name, reason: decision.reason }, 'weaver pod reaped');
    } catch (error) {
      logger.warn({ err: error, pod: decision.name }, 'reaping a weaver pod failed');
    }
  }
  return decisions;
}

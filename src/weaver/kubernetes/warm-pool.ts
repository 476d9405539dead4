/**
 * Warm pods: ready weaver pods waiting in the namespace, claimed by relabelling so a job skips
 * pod creation, scheduling, image start and the agent's first compile. The pool is shared by all
 * workers (the labels are the pool); a claim is a merge patch conditional on the pod's
 * resourceVersion, so two workers can never claim the same pod.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { isLoomError } from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import { buildWeaverPod, claimMetadata, type WeaverPodClaim } from './build-weaver-pod.js';
import { describeWeaverPod, timeOf } from './describe-weaver-pod.js';
import type { WeaverPodApi } from './kubernetes-pod-api.js';
import type { KubernetesWeaverSettings } from './kubernetes-weaver-settings.js';
import { expiresAtAnnotation, warmPodsSelector } from './weaver-pod-labels.js';

/** A warm pod this close to its expiry is left to the reaper rather than claimed. */
const claimMarginMs = 60_000;

export interface WarmPool {
  /** Tops the namespace up to `warmPoolSize` warm pods; one fill at a time; errors are logged. */
  fill(): Promise<void>;
  /** Claims the oldest ready warm pod for a job, or undefined when none is ready. */
  claim(claim: WeaverPodClaim): Promise<V1Pod | undefined>;
}

export interface WarmPoolOptions {
  api: WeaverPodApi;
  settings: KubernetesWeaverSettings;
  logger: Logger;
  newWeaverId: () => string;
  now: () => number;
}

function isLive(pod: V1Pod): boolean {
  const kind = describeWeaverPod(pod).kind;
  return kind === 'ready' || kind === 'starting';
}

/** The claim patch: new labels and annotations, and the deadline lowered to "from now". */
function claimPatch(
  settings: KubernetesWeaverSettings,
  pod: V1Pod,
  claim: WeaverPodClaim,
): Record<string, unknown> {
  const startedAt = timeOf(pod.status?.startTime) ?? timeOf(pod.metadata?.creationTimestamp) ?? claim.now;
  const ageSeconds = Math.max(0, Math.ceil((claim.now - startedAt) / 1000));
  const current = pod.spec?.activeDeadlineSeconds ?? Number.MAX_SAFE_INTEGER;
  // Kubernetes only lets the deadline go down, and counts it from the pod's start.
  const activeDeadlineSeconds = Math.min(current, ageSeconds + settings.deadlineSeconds);
  return {
    metadata: { resourceVersion: pod.metadata?.resourceVersion, ...claimMetadata(settings, claim) },
    spec: { activeDeadlineSeconds },
  };
}

export function createWarmPool(options: WarmPoolOptions): WarmPool {
  const { api, settings, logger } = options;
  let filling: Promise<void> | undefined;

  const fillOnce = async (): Promise<void> => {
    const warm = (await api.list(warmPodsSelector)).filter(isLive);
    const missing = settings.warmPoolSize - warm.length;
    for (let index = 0; index < missing; index += 1) {
      const pod = buildWeaverPod({
        settings,
        weaverId: options.newWeaverId(),
        now: options.now(),
        claim: undefined,
      });
      await api.create(pod);
      logger.info({ pod: pod.metadata?.name }, 'warm weaver pod created');
    }
  };

  return {
    fill() {
      if (settings.warmPoolSize <= 0) return Promise.resolve();
      filling ??= fillOnce()
        .catch((error: unknown) => logger.warn({ err: error }, 'filling the weaver warm pool failed'))
        .finally(() => {
          filling = undefined;
        });
      return filling;
    },
    async claim(claim) {
      const now = claim.now;
      const candidates = (await api.list(warmPodsSelector))
        .filter((pod) => describeWeaverPod(pod).kind === 'ready')
        .filter(
          (pod) => (timeOf(pod.metadata?.annotations?.[expiresAtAnnotation]) ?? 0) > now + claimMarginMs,
        )
        .sort(
          (a, b) =>
            (timeOf(a.metadata?.creationTimestamp) ?? 0) - (timeOf(b.metadata?.creationTimestamp) ?? 0),
        );
      for (const pod of candidates) {
        const name = pod.metadata?.name as string;
        try {
          const claimed = await api.patch(name, claimPatch(settings, pod, claim));
          logger.info({ pod: name, jobId: claim.jobId }, 'warm weaver pod claimed');
          return claimed;
        } catch (error) {
          // Another worker claimed it first, or the reaper removed it: try the next one.
          if (isLoomError(error, 'conflict') || isLoomError(error, 'not_found')) continue;
          throw error;
        }
      }
      return undefined;
    },
  };
}

/**
 * Keeps the leases of this process's pods fresh: every `leaseRenewIntervalMs` it moves their
 * `loom.dev/lease-expires-at` annotation `leaseTtlMs` ahead. When the process dies the renewals
 * stop, and any worker's reaper removes the pods once the lease has run out.
 */
import type { Logger } from '../../logging/index.js';
import type { WeaverPodApi } from './kubernetes-pod-api.js';
import type { KubernetesWeaverSettings } from './kubernetes-weaver-settings.js';
import { leaseExpiresAtAnnotation } from './weaver-pod-labels.js';

export interface LeaseKeeper {
  keep(podName: string): void;
  forget(podName: string): void;
  /** Renews every kept lease now (the timer calls this). */
  renew(): Promise<void>;
  stop(): void;
}

export function createLeaseKeeper(options: {
  api: WeaverPodApi;
  settings: KubernetesWeaverSettings;
  logger: Logger;
  now: () => number;
}): LeaseKeeper {
  const { api, settings, logger } = options;
  const kept = new Set<string>();
  const renew = async (): Promise<void> => {
    const until = new Date(options.now() + settings.leaseTtlMs).toISOString();
    await Promise.all(
      [...kept].map((podName) =>
        api
          .patch(podName, { metadata: { annotations: { [leaseExpiresAtAnnotation]: until } } })
          .catch((error: unknown) =>
            logger.warn({ err: error, pod: podName }, 'renewing a weaver pod lease failed'),
          ),
      ),
    );
  };
  const timer = setInterval(() => void renew(), settings.leaseRenewIntervalMs);
  timer.unref();
  return {
    keep: (podName) => void kept.add(podName),
    forget: (podName) => void kept.delete(podName),
    renew,
    stop: () => clearInterval(timer),
  };
}

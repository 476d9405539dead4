/**
 * The Kubernetes weaver backend: one pod per job in the weaver namespace. `open` waits for a free
 * slot (telling the caller its place in line), claims a warm pod or creates one, waits for it to
 * be ready, and execs `loom weaver-agent` in it; closing the weaver deletes the pod. In the
 * background it renews the leases of its pods, reaps expired and orphaned pods (at start and at an
 * interval) and keeps the warm pool filled.
 */
import { randomBytes } from 'node:crypto';
import { LoomError } from '../../errors/index.js';
import type { Logger } from '../../logging/index.js';
import type { Weaver } from '../weaver-types.js';
import { buildWeaverPod } from './build-weaver-pod.js';
import { createConcurrencyGate, type GateWaitNotice } from './concurrency-gate.js';
import { connectWeaverAgent } from './connect-weaver-agent.js';
import type { ReapDecision } from './decide-pods-to-reap.js';
import type { WeaverPodApi } from './kubernetes-pod-api.js';
import type { KubernetesWeaverSettings } from './kubernetes-weaver-settings.js';
import { createLeaseKeeper } from './lease-keeper.js';
import { reapWeaverPods } from './reap-weaver-pods.js';
import { waitForWeaverPod } from './wait-for-weaver-pod.js';
import { createWarmPool } from './warm-pool.js';

export interface OpenKubernetesWeaverRequest {
  /** The job the pod serves (label and annotation). */
  jobId: string;
  /** `owner/name`, for people reading `kubectl get pods` (annotation). */
  repository?: string | undefined;
  /** Aborting stops waiting for a slot or for the pod. */
  signal?: AbortSignal | undefined;
  /** Called when the job has to wait for a free weaver, and when its place in line changes. */
  onWaiting?: ((notice: GateWaitNotice) => void) | undefined;
}

export interface KubernetesWeaver extends Weaver {
  readonly podName: string;
  /** True when a warm pod was claimed rather than a pod created. */
  readonly fromWarmPool: boolean;
}

export interface KubernetesWeavers {
  open(request: OpenKubernetesWeaverRequest): Promise<KubernetesWeaver>;
  /** Runs the reaper now (it also runs at start and every `reapIntervalMs`). */
  reap(): Promise<ReapDecision[]>;
  /** Tops up the warm pool now (it also happens after each claim and with each reap). */
  fillWarmPool(): Promise<void>;
  /** Weavers open and jobs waiting in this process. */
  usage(): { running: number; waiting: number; limit: number };
  /** Stops the background work and closes the weavers still open (warm pods stay for others). */
  close(): Promise<void>;
}

export interface KubernetesWeaversOptions {
  api: WeaverPodApi;
  settings: KubernetesWeaverSettings;
  logger: Logger;
  /** Identifies this worker process on the pods it claims (label `loom.dev/owner`). */
  ownerId: string;
  now?: () => number;
  newWeaverId?: () => string;
}

function defaultWeaverId(): string {
  return randomBytes(6).toString('hex');
}

export function createKubernetesWeavers(options: KubernetesWeaversOptions): KubernetesWeavers {
  const { api, settings } = options;
  const logger = options.logger.child({ component: 'kubernetes-weaver', namespace: api.namespace });
  const now = options.now ?? Date.now;
  const newWeaverId = options.newWeaverId ?? defaultWeaverId;
  const gate = createConcurrencyGate(settings.maxConcurrent);
  const warmPool = createWarmPool({ api, settings, logger, newWeaverId, now });
  const leases = createLeaseKeeper({ api, settings, logger, now });
  const open = new Set<KubernetesWeaver>();
  const reap = (): Promise<ReapDecision[]> => reapWeaverPods(api, now(), logger);
  let backgroundRun: Promise<void> = Promise.resolve();
  const background = (): void => {
    backgroundRun = reap()
      .catch((error: unknown) => logger.warn({ err: error }, 'reaping weaver pods failed'))
      .then(() => warmPool.fill())
      .catch(() => undefined);
  };
  background();
  const reapTimer = setInterval(background, settings.reapIntervalMs);
  reapTimer.unref();

  const removePod = async (podName: string): Promise<void> => {
    leases.forget(podName);
    await api.remove(podName).catch((error: unknown) =>
      // The lease runs out and the reaper removes it later.
      logger.error({ err: error, pod: podName }, 'deleting a weaver pod failed; the reaper will remove it'),
    );
  };

  const start = async (request: OpenKubernetesWeaverRequest): Promise<KubernetesWeaver> => {
    const claim = {
      jobId: request.jobId,
      repository: request.repository,
      ownerId: options.ownerId,
      now: now(),
    };
    const warm = settings.warmPoolSize > 0 ? await warmPool.claim(claim) : undefined;
    if (settings.warmPoolSize > 0) void warmPool.fill();
    const pod =
      warm ??
      (await api.create(buildWeaverPod({ settings, weaverId: newWeaverId(), now: claim.now, claim })));
    const podName = pod.metadata?.name as string;
    leases.keep(podName);
    try {
      if (warm === undefined)
        await waitForWeaverPod(api, podName, { timeoutMs: settings.startTimeoutMs, signal: request.signal });
      const weaver = await connectWeaverAgent({
        api,
        podName,
        settings,
        logger: logger.child({ pod: podName }),
      });
      logger.info({ pod: podName, jobId: request.jobId, fromWarmPool: warm !== undefined }, 'weaver ready');
      return { ...weaver, podName, fromWarmPool: warm !== undefined };
    } catch (error) {
      await removePod(podName);
      throw error;
    }
  };

  return {
    async open(request) {
      const release = await gate.acquire({ signal: request.signal, onWaiting: request.onWaiting });
      let weaver: KubernetesWeaver;
      try {
        weaver = await start(request);
      } catch (error) {
        release();
        throw error instanceof LoomError
          ? error
          : new LoomError('dependency_unavailable', `Starting a weaver pod failed: ${String(error)}`, {
              cause: error,
            });
      }
      let closing: Promise<void> | undefined;
      const wrapped: KubernetesWeaver = {
        ...weaver,
        close() {
          closing ??= weaver
            .close()
            .finally(() => removePod(weaver.podName))
            .finally(() => {
              open.delete(wrapped);
              release();
            });
          return closing;
        },
      };
      open.add(wrapped);
      return wrapped;
    },
    reap,
    fillWarmPool: () => warmPool.fill(),
    usage: () => ({ running: gate.running, waiting: gate.waiting, limit: settings.maxConcurrent }),
    async close() {
      clearInterval(reapTimer);
      leases.stop();
      await Promise.all([...open].map((weaver) => weaver.close()));
      await backgroundRun;
    },
  };
}

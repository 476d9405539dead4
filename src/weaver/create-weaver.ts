/**
 * The composition point for weavers: `createWeaver(config, deps)` returns the configured backend
 * (LOOM_WEAVER=local | kubernetes), which opens one weaver per job. Both backends take the
 * repository in as a bundle (`weaver.importBundle`), so a job's code is the same for either.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import type { LoomConfig } from '../config/index.js';
import type { Logger } from '../logging/index.js';
import { createLocalWeaver } from './create-local-weaver.js';
import type { GateWaitNotice } from './kubernetes/concurrency-gate.js';
import type { KubernetesWeaverSettings } from './kubernetes/kubernetes-weaver-settings.js';
import type { Weaver } from './weaver-types.js';

export interface OpenWeaverRequest {
  /** The job the weaver serves (Kubernetes: pod label and annotation). */
  jobId: string;
  /** `owner/name` of the repository (Kubernetes: pod annotation). */
  repository?: string | undefined;
  /** Local backend only: the host directory to work in; default a fresh temporary one, removed on close. */
  workspaceDir?: string | undefined;
  /** Aborting stops waiting for a free weaver or for its pod. */
  signal?: AbortSignal | undefined;
  /** Kubernetes: called when the job waits for a free weaver, and when its place in line changes. */
  onWaiting?: ((notice: GateWaitNotice) => void) | undefined;
}

export interface WeaverBackend {
  readonly kind: 'local' | 'kubernetes';
  open(request: OpenWeaverRequest): Promise<Weaver>;
  /** Stops background work (Kubernetes: reaper, leases) and closes the weavers still open. */
  close(): Promise<void>;
}

export interface CreateWeaverDependencies {
  logger: Logger;
  /** Kubernetes: the cluster; default `KubeConfig.loadFromDefault()` (in-cluster account or ~/.kube/config). */
  kubeConfig?: KubeConfig;
  /** Kubernetes: this worker on its pods (label `loom.dev/owner`); default host name plus a random suffix. */
  ownerId?: string;
  /** Kubernetes: timings and limits beyond what the config holds (tests, benchmarks). */
  kubernetes?: Partial<KubernetesWeaverSettings>;
}

type WeaverConfig = Pick<LoomConfig, 'weaver' | 'sandbox' | 'dataDir' | 'kubernetesWeaver'>;

function createLocalBackend(config: WeaverConfig, logger: Logger): WeaverBackend {
  const open = new Set<Weaver>();
  return {
    kind: 'local',
    async open(request) {
      const scratch =
        request.workspaceDir === undefined
          ? await mkdtemp(path.join(os.tmpdir(), 'loom-workspace-'))
          : undefined;
      const weaver = await createLocalWeaver({
        workspaceDir: request.workspaceDir ?? (scratch as string),
        sandbox: config.sandbox,
        dataDir: config.dataDir,
        logger: logger.child({ jobId: request.jobId }),
      }).catch(async (error: unknown) => {
        if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
        throw error;
      });
      let closing: Promise<void> | undefined;
      const wrapped: Weaver = {
        ...weaver,
        close() {
          closing ??= weaver.close().finally(async () => {
            open.delete(wrapped);
            if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
          });
          return closing;
        },
      };
      open.add(wrapped);
      return wrapped;
    },
    async close() {
      await Promise.all([...open].map((weaver) => weaver.close()));
    },
  };
}

async function createKubernetesBackend(
  config: WeaverConfig,
  dependencies: CreateWeaverDependencies,
): Promise<WeaverBackend> {
  // Loaded only here: local installs never load the Kubernetes client.
  const [{ KubeConfig: KubeConfigClass }, kubernetes] = await Promise.all([
    import('@kubernetes/client-node'),
    import('./kubernetes/index.js'),
  ]);
  const settings = kubernetes.kubernetesWeaverSettings(config.kubernetesWeaver, dependencies.kubernetes);
  let kubeConfig = dependencies.kubeConfig;
  if (kubeConfig === undefined) {
    kubeConfig = new KubeConfigClass();
    kubeConfig.loadFromDefault();
  }
  const weavers = kubernetes.createKubernetesWeavers({
    api: kubernetes.createWeaverPodApi(kubeConfig, settings.namespace),
    settings,
    logger: dependencies.logger,
    ownerId: dependencies.ownerId ?? `${os.hostname()}-${randomBytes(3).toString('hex')}`,
  });
  return { kind: 'kubernetes', open: (request) => weavers.open(request), close: () => weavers.close() };
}

/** The weaver backend LOOM_WEAVER selects. */
export function createWeaver(
  config: WeaverConfig,
  dependencies: CreateWeaverDependencies,
): Promise<WeaverBackend> {
  if (config.weaver === 'kubernetes') return createKubernetesBackend(config, dependencies);
  return Promise.resolve(createLocalBackend(config, dependencies.logger));
}

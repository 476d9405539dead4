/**
 * Everything the Kubernetes weaver backend needs to know, as one value: what LOOM_WEAVER_* say
 * plus the timings that have sensible fixed defaults (tests shorten them).
 */
import type { KubernetesWeaverConfig } from '../../config/index.js';
import { LoomError } from '../../errors/index.js';

export interface KubernetesWeaverSettings {
  namespace: string;
  image: string;
  /** e.g. `gvisor`, `kata`; undefined: the cluster's default runtime. */
  runtimeClassName: string | undefined;
  /** Weavers this process runs at once; further `open` calls wait their turn. */
  maxConcurrent: number;
  /** Ready pods kept waiting in the namespace (0: every job creates its own pod). */
  warmPoolSize: number;
  /** `activeDeadlineSeconds` of a job's pod, counted from the moment it is claimed. */
  deadlineSeconds: number;
  /** Container limits as Kubernetes quantities. */
  resources: { cpu: string; memory: string; disk: string };
  /** HTTP(S) proxy for package registries, passed as HTTP(S)_PROXY; undefined: none. */
  egressProxyUrl: string | undefined;
  /** A warm pod nobody claimed within this long is removed (and replaced). */
  warmMaxAgeSeconds: number;
  /** How long a new pod may take to be running and ready. */
  startTimeoutMs: number;
  /** How long `loom weaver-agent` may take to answer the handshake once exec'd. */
  handshakeTimeoutMs: number;
  /** Per tool call, as in the local backend. */
  callTimeoutMs: number;
  /** A claimed pod whose lease was not renewed for this long is an orphan (its worker died). */
  leaseTtlMs: number;
  leaseRenewIntervalMs: number;
  /** The reaper runs at start and then at this interval. */
  reapIntervalMs: number;
  /** RLIMIT_NPROC of the agent and its commands (see specs/kubernetes.md for its reach). */
  pidsLimit: number;
}

export const kubernetesWeaverDefaults = {
  warmMaxAgeSeconds: 1800,
  startTimeoutMs: 180_000,
  handshakeTimeoutMs: 60_000,
  callTimeoutMs: 660_000,
  leaseTtlMs: 90_000,
  leaseRenewIntervalMs: 30_000,
  reapIntervalMs: 60_000,
  // Generous: RLIMIT_NPROC counts every uid-1000 process on the node (see specs/kubernetes.md).
  pidsLimit: 4096,
} as const;

/** Settings from the validated config; `overrides` replace single values (tests, benchmarks). */
export function kubernetesWeaverSettings(
  config: KubernetesWeaverConfig,
  overrides: Partial<KubernetesWeaverSettings> = {},
): KubernetesWeaverSettings {
  const image = overrides.image ?? config.image;
  if (image === undefined)
    throw new LoomError('config_invalid', 'LOOM_WEAVER_IMAGE is required when LOOM_WEAVER=kubernetes.');
  return {
    ...kubernetesWeaverDefaults,
    namespace: config.namespace,
    runtimeClassName: config.runtimeClassName,
    maxConcurrent: config.maxConcurrent,
    warmPoolSize: config.warmPoolSize,
    deadlineSeconds: config.deadlineSeconds,
    resources: { cpu: config.cpu, memory: config.memory, disk: config.disk },
    egressProxyUrl: config.egressProxyUrl,
    ...overrides,
    image,
  };
}

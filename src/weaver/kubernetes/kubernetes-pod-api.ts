/**
 * The few pod operations the weaver backend uses, over @kubernetes/client-node 1.4, in one
 * namespace. The only file (with `open-pod-exec.ts`) that talks to the Kubernetes client, so the
 * rest of the backend is plain logic over `WeaverPodApi`.
 */
import {
  CoreV1Api,
  PatchStrategy,
  Watch,
  setHeaderOptions,
  type KubeConfig,
  type V1Pod,
} from '@kubernetes/client-node';
import { isLoomError } from '../../errors/index.js';
import { kubernetesApiError } from './kubernetes-api-error.js';
import { openPodExec, type PodExecSession } from './open-pod-exec.js';

export type PodWatchEvent = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WeaverPodApi {
  readonly namespace: string;
  create(pod: V1Pod): Promise<V1Pod>;
  /** The pod, or undefined when it does not exist. */
  read(name: string): Promise<V1Pod | undefined>;
  list(labelSelector: string): Promise<V1Pod[]>;
  /** Deletes at once (grace period 0); a pod that is already gone is not an error. */
  remove(name: string): Promise<void>;
  /**
   * A JSON merge patch. With `metadata.resourceVersion` in it the patch only applies to that
   * version: a LoomError `conflict` says someone else changed the pod first.
   */
  patch(name: string, patch: Record<string, unknown>): Promise<V1Pod>;
  /** Streams one pod's events (the current state first) until `stop` or the server ends it. */
  watch(
    name: string,
    onEvent: (type: PodWatchEvent, pod: V1Pod) => void,
    onEnd: (error: unknown) => void,
  ): Promise<{ stop(): void }>;
  exec(name: string, container: string, command: string[]): Promise<PodExecSession>;
}

/** A `WeaverPodApi` for `namespace` of the cluster `kubeConfig` points at. */
export function createWeaverPodApi(kubeConfig: KubeConfig, namespace: string): WeaverPodApi {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const watcher = new Watch(kubeConfig);
  const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
  const attempt = async <T>(what: string, operation: () => Promise<T>): Promise<T> => {
    try {
      return await operation();
    } catch (error) {
      throw kubernetesApiError(error, what);
    }
  };
  return {
    namespace,
    create: (pod) =>
      attempt(`Creating pod ${pod.metadata?.name ?? ''}`, () =>
        core.createNamespacedPod({ namespace, body: pod }),
      ),
    async read(name) {
      try {
        return await attempt(`Reading pod ${name}`, () => core.readNamespacedPod({ name, namespace }));
      } catch (error) {
        if (isLoomError(error, 'not_found')) return undefined;
        throw error;
      }
    },
    list: (labelSelector) =>
      attempt(`Listing pods (${labelSelector})`, async () => {
        const list = await core.listNamespacedPod({ namespace, labelSelector });
        return list.items;
      }),
    async remove(name) {
      try {
        await attempt(`Deleting pod ${name}`, () =>
          core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }),
        );
      } catch (error) {
        if (!isLoomError(error, 'not_found')) throw error;
      }
    },
    patch: (name, patch) =>
      attempt(`Patching pod ${name}`, () =>
        core.patchNamespacedPod({ name, namespace, body: patch }, mergePatch),
      ),
    async watch(name, onEvent, onEnd) {
      const controller = await watcher.watch(
        `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`,
        { fieldSelector: `metadata.name=${name}` },
        (type: string, pod: V1Pod) => onEvent(type as PodWatchEvent, pod),
        onEnd,
      );
      return { stop: () => controller.abort() };
    },
    exec: (name, container, command) =>
      attempt(`Opening an exec stream into pod ${name}`, () =>
        openPodExec(kubeConfig, { namespace, pod: name, container, command }),
      ),
  };
}

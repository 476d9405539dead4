/**
 * The pods of a fake Kubernetes namespace: admission (the weaver namespace's rules), resource
 * versions, watch events, merge and JSON patches with the API server's optimistic concurrency,
 * and the kubelet's part: Pending → Running → ready, `activeDeadlineSeconds` (→ Failed,
 * DeadlineExceeded, processes killed), deletion (processes killed).
 */
import { randomUUID } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import { createFakeContainer, type FakeContainer } from './fake-container.js';
import { applyPodPatch } from './apply-pod-patch.js';
import { FakeApiError } from './fake-api-error.js';
import { matchesFields, matchesLabels } from './selectors.js';
import { weaverPodAdmissionViolations } from './weaver-pod-admission.js';

export type WatchListener = (type: 'ADDED' | 'MODIFIED' | 'DELETED', pod: V1Pod) => void;

export interface FakePodStoreOptions {
  namespace: string;
  shimDir: string;
  /** Pending before the container starts (default 20 ms). */
  startDelayMs?: number;
  /** Run the container's main command and readiness probe (default true); false: ready at once. */
  runContainers?: boolean;
  /** Like a ResourceQuota `pods: N`. */
  podQuota?: number;
  /** Apply the weaver namespace's admission rules (default true). */
  admission?: boolean;
}

interface Entry {
  pod: V1Pod;
  container: FakeContainer | undefined;
  timers: NodeJS.Timeout[];
  deadlineTimer: NodeJS.Timeout | undefined;
}

export type FakePodStore = ReturnType<typeof createFakePodStore>;

export function createFakePodStore(options: FakePodStoreOptions) {
  const entries = new Map<string, Entry>();
  const listeners = new Set<WatchListener>();
  let version = 1;
  let closed = false;
  const clone = (pod: V1Pod): V1Pod => structuredClone(pod);
  const bump = (entry: Entry, type: 'ADDED' | 'MODIFIED'): void => {
    version += 1;
    entry.pod.metadata!.resourceVersion = String(version);
    for (const listener of listeners) listener(type, clone(entry.pod));
  };
  const setStatus = (entry: Entry, status: V1Pod['status']): void => {
    entry.pod.status = { ...entry.pod.status, ...status };
    bump(entry, 'MODIFIED');
  };

  const failEntry = (entry: Entry, reason: string, message: string, exitCode = 137): void => {
    if (entry.pod.status?.phase === 'Failed') return;
    const name = entry.pod.spec?.containers[0]?.name ?? 'main';
    // Status first, as the kubelet reports it, then the processes die.
    setStatus(entry, {
      phase: 'Failed',
      reason,
      message,
      conditions: [{ type: 'Ready', status: 'False' }],
      containerStatuses: [
        {
          name,
          image: '',
          imageID: '',
          ready: false,
          restartCount: 0,
          state: { terminated: { exitCode, reason: 'Error' } },
        },
      ],
    });
    clearTimeout(entry.deadlineTimer);
    entry.container?.kill();
  };

  const armDeadline = (entry: Entry): void => {
    clearTimeout(entry.deadlineTimer);
    const deadline = entry.pod.spec?.activeDeadlineSeconds;
    const startedAt = Date.parse(String(entry.pod.status?.startTime ?? ''));
    if (deadline === undefined || Number.isNaN(startedAt) || entry.pod.status?.phase === 'Failed') return;
    const delay = Math.max(0, startedAt + deadline * 1000 - Date.now());
    entry.deadlineTimer = setTimeout(
      () =>
        failEntry(entry, 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline'),
      delay,
    );
  };

  const start = async (entry: Entry): Promise<void> => {
    const spec = entry.pod.spec!;
    const containerSpec = spec.containers[0]!;
    const name = containerSpec.name;
    if (containerSpec.image?.startsWith('invalid:')) {
      setStatus(entry, {
        containerStatuses: [
          {
            name,
            image: containerSpec.image,
            imageID: '',
            ready: false,
            restartCount: 0,
            state: {
              waiting: {
                reason: 'InvalidImageName',
                message: `couldn't parse image name "${containerSpec.image}"`,
              },
            },
          },
        ],
      });
      return;
    }
    const container = await createFakeContainer(containerSpec, options.shimDir);
    if (closed || !entries.has(entry.pod.metadata!.name!)) return void container.destroy();
    entry.container = container;
    const startTime = new Date().toISOString();
    const running = (ready: boolean): V1Pod['status'] => ({
      phase: 'Running',
      startTime: startTime as unknown as Date,
      conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }],
      containerStatuses: [
        {
          name,
          image: containerSpec.image ?? '',
          imageID: '',
          ready,
          started: true,
          restartCount: 0,
          state: { running: { startedAt: startTime as unknown as Date } },
        },
      ],
    });
    setStatus(entry, running(false));
    armDeadline(entry);
    if (options.runContainers !== false) {
      container.startMain((code) =>
        failEntry(entry, 'Error', `The container exited with code ${code}.`, code ?? 1),
      );
      await container.waitReady();
    }
    if (entry.pod.status?.phase === 'Running' && entries.has(entry.pod.metadata!.name!))
      setStatus(entry, running(true));
  };

  return {
    namespace: options.namespace,
    resourceVersion: () => String(version),
    create(input: V1Pod): V1Pod {
      const name = input.metadata?.name;
      if (name === undefined) throw new FakeApiError(422, 'Invalid', 'metadata.name: Required value');
      if (entries.has(name)) throw new FakeApiError(409, 'AlreadyExists', `pods "${name}" already exists`);
      const violations = options.admission === false ? [] : weaverPodAdmissionViolations(input);
      if (violations.length > 0)
        throw new FakeApiError(
          403,
          'Forbidden',
          `pods "${name}" is forbidden: violates PodSecurity "restricted:latest" or the weaver admission policy: ${violations.join('; ')}`,
        );
      if (options.podQuota !== undefined && entries.size >= options.podQuota)
        throw new FakeApiError(
          403,
          'Forbidden',
          `pods "${name}" is forbidden: exceeded quota: weaver-quota, requested: pods=1, limit: pods=${options.podQuota}`,
        );
      const pod = clone(input);
      pod.metadata = {
        ...pod.metadata,
        namespace: options.namespace,
        uid: randomUUID(),
        creationTimestamp: new Date().toISOString() as unknown as Date,
      };
      pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }] };
      const entry: Entry = { pod, container: undefined, timers: [], deadlineTimer: undefined };
      entries.set(name, entry);
      bump(entry, 'ADDED');
      entry.timers.push(setTimeout(() => void start(entry), options.startDelayMs ?? 20));
      return clone(pod);
    },
    get: (name: string): V1Pod | undefined => {
      const entry = entries.get(name);
      return entry === undefined ? undefined : clone(entry.pod);
    },
    list: (labelSelector?: string | null, fieldSelector?: string | null): V1Pod[] =>
      [...entries.values()]
        .map((entry) => entry.pod)
        .filter((pod) => matchesLabels(pod, labelSelector) && matchesFields(pod, fieldSelector))
        .map(clone),
    patch(name: string, contentType: string, body: unknown): V1Pod {
      const entry = entries.get(name);
      if (entry === undefined) throw new FakeApiError(404, 'NotFound', `pods "${name}" not found`);
      const before = entry.pod.spec?.activeDeadlineSeconds;
      entry.pod = applyPodPatch(entry.pod, contentType, body);
      bump(entry, 'MODIFIED');
      if (entry.pod.spec?.activeDeadlineSeconds !== before) armDeadline(entry);
      return clone(entry.pod);
    },
    remove(name: string): V1Pod {
      const entry = entries.get(name);
      if (entry === undefined) throw new FakeApiError(404, 'NotFound', `pods "${name}" not found`);
      entries.delete(name);
      for (const timer of entry.timers) clearTimeout(timer);
      clearTimeout(entry.deadlineTimer);
      void entry.container?.destroy();
      version += 1;
      for (const listener of listeners) listener('DELETED', clone(entry.pod));
      return clone(entry.pod);
    },
    subscribe(listener: WatchListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    container: (name: string): FakeContainer | undefined => entries.get(name)?.container,
    /** What the kubelet does when a pod's container dies or its deadline passes. */
    failPod(name: string, reason: string, message: string): void {
      const entry = entries.get(name);
      if (entry !== undefined) failEntry(entry, reason, message);
    },
    async close(): Promise<void> {
      closed = true;
      listeners.clear();
      await Promise.all(
        [...entries.values()].map(async (entry) => {
          for (const timer of entry.timers) clearTimeout(timer);
          clearTimeout(entry.deadlineTimer);
          await entry.container?.destroy();
        }),
      );
      entries.clear();
    },
  };
}

/**
 * The Kubernetes weaver against a fake API server on loopback, through the real client: pods are
 * created with the real spec, the exec websocket runs a real `loom weaver-agent`, and tool calls
 * and git bundles travel over it with the same protocol as the local backend.
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import { weaverAgentCommand, type KubernetesWeavers } from '../../src/weaver/kubernetes/index.js';
import { bundleOf, call, captureLogger, createOriginRepository, git } from '../weaver/weaver-test-support.js';
import type { FakeKubernetesApi } from './support/fake-kubernetes-api.js';
import {
  createTestWeavers,
  podTestTimeoutMs,
  startFakeCluster,
  testSettings,
} from './support/kubernetes-weaver-test-support.js';

describe('kubernetes weaver: a job in a pod', () => {
  let fake: FakeKubernetesApi;
  let weavers: KubernetesWeavers;
  let origin: string;

  beforeAll(async () => {
    fake = await startFakeCluster();
    weavers = createTestWeavers(fake, captureLogger().logger, {}, 'worker-a');
    origin = await createOriginRepository();
  });
  afterAll(async () => {
    await weavers?.close();
    await fake?.close();
    await rm(origin, { recursive: true, force: true });
  });

  it(
    'creates a claimed pod, serves tools through an exec of loom weaver-agent, and deletes the pod on close',
    async () => {
      const weaver = await weavers.open({ jobId: 'delivery:42', repository: 'acme/web' });
      const [pod] = fake.store.list();
      expect(pod?.metadata?.name).toBe(weaver.podName);
      expect(pod?.metadata?.labels).toMatchObject({
        'loom.dev/state': 'claimed',
        'loom.dev/job-id': 'delivery-42',
        'loom.dev/owner': 'worker-a',
      });
      expect(pod?.metadata?.annotations).toMatchObject({
        'loom.dev/job-id': 'delivery:42',
        'loom.dev/repository': 'acme/web',
      });
      expect(fake.execSessions).toEqual([
        {
          pod: weaver.podName,
          command: weaverAgentCommand(testSettings()),
          protocol: 'v5.channel.k8s.io',
          acceptedAt: expect.any(Number),
        },
      ]);
      expect(weaver.fromWarmPool).toBe(false);
      expect(weaver.definitions().map((tool) => tool.name)).toContain('bash');

      const written = await call(weaver, 'write_file', {
        path: 'notes/hello.txt',
        content: 'hello from the pod\n',
      });
      expect(written.isError).toBe(false);
      expect((await call(weaver, 'read_file', { path: 'notes/hello.txt' })).output).toContain(
        'hello from the pod',
      );
      const shell = await call(weaver, 'bash', { command: 'pwd && cat notes/hello.txt && echo "$HOME"' });
      const container = fake.store.container(weaver.podName)!;
      expect(shell.output).toBe(`${container.workspaceDir}\nhello from the pod\n${container.tmpDir}\n`);
      expect(weavers.usage()).toEqual({ running: 1, waiting: 0, limit: 4 });

      await weaver.close();
      await weaver.close();
      expect(fake.store.list()).toEqual([]);
      expect(weavers.usage().running).toBe(0);
      expect(fake.requests).toContain(
        `DELETE /api/v1/namespaces/loom-weavers/pods/${weaver.podName}?gracePeriodSeconds=0`,
      );
    },
    podTestTimeoutMs,
  );

  it(
    'ships a repository in and the new commits out as git bundles over the exec stream',
    async () => {
      const weaver = await weavers.open({ jobId: 'bundles' });
      try {
        const base = git(origin, 'rev-parse', 'main');
        await weaver.importBundle(bundleOf(origin, 'HEAD', 'main'));
        expect((await call(weaver, 'bash', { command: 'git log --format=%s' })).output).toBe(
          'second\nfirst\n',
        );
        const committed = await call(weaver, 'bash', {
          command:
            'echo change >> README.md && git commit -q -am "change in the pod" && git log -1 --format=%s',
        });
        expect(committed).toMatchObject({ isError: false, output: 'change in the pod\n' });
        const exported = await weaver.exportBundle(base);
        const bundleFile = path.join(origin, '.git', 'from-pod.bundle');
        await writeFile(bundleFile, exported!);
        git(origin, 'fetch', '-q', bundleFile, 'refs/heads/main:refs/remotes/pod/main');
        expect(git(origin, 'log', '--format=%s', 'main..pod/main')).toBe('change in the pod');
      } finally {
        await weaver.close();
      }
    },
    podTestTimeoutMs,
  );

  it('fails at once with the reason when the image name is unusable, and deletes the pod', async () => {
    const broken = createTestWeavers(fake, captureLogger().logger, { image: 'invalid:Not A Name' });
    try {
      const failure = await broken.open({ jobId: 'bad-image' }).catch((error: unknown) => error);
      expect(isLoomError(failure, 'dependency_unavailable')).toBe(true);
      expect((failure as Error).message).toMatch(/could not start: InvalidImageName/);
      expect(fake.store.list()).toEqual([]);
      expect(broken.usage().running).toBe(0);
    } finally {
      await broken.close();
    }
  });
});

describe('kubernetes weaver: waiting', () => {
  let fake: FakeKubernetesApi;

  beforeAll(async () => {
    fake = await startFakeCluster({ startDelayMs: 120_000 });
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('gives up on a pod that is not ready in time, says what it last saw, and deletes it', async () => {
    const weavers = createTestWeavers(fake, captureLogger().logger, { startTimeoutMs: 1500 });
    try {
      const started = Date.now();
      const failure = await weavers.open({ jobId: 'slow' }).catch((error: unknown) => error);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(isLoomError(failure, 'timeout')).toBe(true);
      expect((failure as Error).message).toMatch(/was not ready within 2 s \(last seen: Pending\)/);
      expect(fake.store.list()).toEqual([]);
    } finally {
      await weavers.close();
    }
  });

  it('makes jobs over the cap wait their turn, tells them their place, and lets them give up', async () => {
    const weavers = createTestWeavers(fake, captureLogger().logger, { maxConcurrent: 1 });
    try {
      const first = new AbortController();
      const holding = weavers.open({ jobId: 'first', signal: first.signal });
      const notices: unknown[] = [];
      const second = new AbortController();
      const waiting = weavers.open({
        jobId: 'second',
        signal: second.signal,
        onWaiting: (notice) => notices.push(notice),
      });
      expect(notices).toEqual([{ position: 1, running: 1, limit: 1 }]);
      expect(weavers.usage()).toEqual({ running: 1, waiting: 1, limit: 1 });
      // The first job is cancelled while its pod is still pending: its pod goes, its slot frees.
      first.abort();
      expect(isLoomError(await holding.catch((error: unknown) => error), 'cancelled')).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(fake.store.list().map((pod) => pod.metadata?.labels?.['loom.dev/job-id'])).toEqual(['second']);
      second.abort();
      expect(isLoomError(await waiting.catch((error: unknown) => error), 'cancelled')).toBe(true);
      expect(weavers.usage()).toEqual({ running: 0, waiting: 0, limit: 1 });
      expect(fake.store.list()).toEqual([]);
    } finally {
      await weavers.close();
    }
  });
});

describe('kubernetes weaver: the v4 channel protocol', () => {
  it(
    'works when the API server only speaks v4.channel.k8s.io',
    async () => {
      const fake = await startFakeCluster({ execProtocols: ['v4.channel.k8s.io'] });
      const weavers = createTestWeavers(fake, captureLogger().logger);
      try {
        const weaver = await weavers.open({ jobId: 'v4' });
        expect((await call(weaver, 'bash', { command: 'echo over v4' })).output).toBe('over v4\n');
        expect(fake.execSessions.map((session) => session.protocol)).toEqual(['v4.channel.k8s.io']);
        await weaver.close();
        expect(fake.store.list()).toEqual([]);
      } finally {
        await weavers.close();
        await fake.close();
      }
    },
    podTestTimeoutMs,
  );
});

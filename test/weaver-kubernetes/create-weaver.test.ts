/**
 * `createWeaver(config, deps)`, the one place the worker gets weavers from: LOOM_WEAVER picks the
 * backend. The Kubernetes side is exercised end to end in kubernetes-weaver-fixes-a-bug.test.ts;
 * here, the local side: a job without a workspace gets a scratch one, removed on close.
 */
import { access, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createWeaver, type WeaverBackend } from '../../src/weaver/index.js';
import { call, captureLogger } from '../weaver/weaver-test-support.js';
import { podTestTimeoutMs } from './support/kubernetes-weaver-test-support.js';

describe('createWeaver with LOOM_WEAVER=local', () => {
  let dataDir: string;
  let backend: WeaverBackend;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'loom-create-weaver-'));
    backend = await createWeaver(loadConfig({ LOOM_SANDBOX: 'off', LOOM_DATA_DIR: dataDir }), {
      logger: captureLogger().logger,
    });
  });
  afterAll(async () => {
    await backend?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'opens a local weaver on a scratch workspace that close removes',
    async () => {
      expect(backend.kind).toBe('local');
      const weaver = await backend.open({ jobId: 'local-job' });
      const workspace = (await call(weaver, 'bash', { command: 'pwd' })).output.trim();
      expect(path.basename(workspace)).toMatch(/^loom-workspace-/);
      await access(workspace);
      await weaver.close();
      await expect(access(workspace)).rejects.toThrow();
    },
    podTestTimeoutMs,
  );
});

/**
 * `LOOM_SANDBOX=off` / `--no-sandbox`: the agent runs as a plain child process. It still gets a clean
 * environment and confined file tools, and the weaver says loudly that it is unsandboxed.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalWeaver, type Weaver } from '../../src/weaver/index.js';
import { call, captureLogger } from './weaver-test-support.js';

describe('local weaver without a sandbox', () => {
  let workspaceDir: string;
  let weaver: Weaver & { sandboxed: boolean };
  const captured = captureLogger();

  beforeAll(async () => {
    workspaceDir = await mkdtemp(path.join(os.tmpdir(), 'loom-weaver-plain-'));
    process.env.ANTHROPIC_API_KEY = 'sk-test-secret-unsandboxed';
    try {
      weaver = await createLocalWeaver({ workspaceDir, sandbox: 'off', logger: captured.logger });
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
    }
  }, 90_000);

  afterAll(async () => {
    await weaver?.close();
    await rm(workspaceDir, { recursive: true, force: true });
  });

  it('warns that it runs without a sandbox', () => {
    expect(weaver.sandboxed).toBe(false);
    expect(
      captured.records.some(
        (record) => record.level === 40 && String(record.msg).includes('WITHOUT a sandbox'),
      ),
    ).toBe(true);
  });

  it('works on the host workspace path', async () => {
    expect(weaver.workspace).toBe(await realpath(workspaceDir));
    await call(weaver, 'write_file', { path: 'a.txt', content: 'plain\n' });
    expect((await call(weaver, 'bash', { command: 'cat a.txt' })).output).toBe('plain\n');
  });

  it('still gives the agent a clean environment and confined file tools', async () => {
    const environment = await call(weaver, 'bash', { command: 'env; tr "\\0" "\\n" < /proc/self/environ' });
    expect(environment.output).toContain('PATH=');
    expect(environment.output).not.toContain('sk-test-secret-unsandboxed');
    expect(environment.output).not.toContain('ANTHROPIC_API_KEY');
    const escape = await call(weaver, 'read_file', { path: '/etc/hostname' });
    expect(escape.isError).toBe(true);
    expect(escape.output).toContain('outside the workspace');
  });

  it('closes cleanly and answers later calls with an error result', async () => {
    await weaver.close();
    await weaver.close();
    const result = await call(weaver, 'bash', { command: 'echo late' });
    expect(result.isError).toBe(true);
    expect(captured.records.some((record) => record.msg === 'weaver agent crashed')).toBe(false);
  });
});

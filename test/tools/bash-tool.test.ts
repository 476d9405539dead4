import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTool } from './run-tool.js';
import { createTemporaryWorkspace, type TemporaryWorkspace } from './temporary-workspace.js';

function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  return false;
}

describe('bash', () => {
  let ws: TemporaryWorkspace;
  beforeEach(async () => {
    ws = await createTemporaryWorkspace();
  });
  afterEach(() => ws.cleanup());

  it('runs in the workspace and reports exit code 0 as success', async () => {
    const result = await runTool(ws.workspace, 'bash', { command: 'pwd' });
    expect(result.isError).toBe(false);
    expect(result.output.trim()).toBe(await realpath(ws.workspace));
    expect(result.metadata).toMatchObject({ exitCode: 0, timedOut: false, command: 'pwd' });
  });

  it('merges stdout and stderr in order and reports a non-zero exit code', async () => {
    const result = await runTool(ws.workspace, 'bash', {
      command: 'echo one; echo two >&2; echo three; exit 7',
    });
    expect(result.output).toBe('one\ntwo\nthree\n[exit code 7]');
    expect(result).toMatchObject({ isError: true, metadata: { exitCode: 7, timedOut: false } });
  });

  it('gives commands an empty stdin', async () => {
    const result = await runTool(ws.workspace, 'bash', { command: 'cat; echo done', timeout_secs: 5 });
    expect(result.output).toBe('done\n');
  });

  it('reports a timeout and kills the whole process group', async () => {
    const started = Date.now();
    const result = await runTool(ws.workspace, 'bash', {
      command: "sh -c 'echo $$ > child.pid; exec sleep 30' & sleep 30",
      timeout_secs: 1,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ isError: true, metadata: { timedOut: true } });
    expect(result.output).toContain('timed out after 1 s');
    const childPid = Number(await readFile(path.join(ws.workspace, 'child.pid'), 'utf8'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const state = isGone(childPid)
      ? 'gone'
      : (await readFile(`/proc/${childPid}/stat`, 'utf8')).split(' ')[2];
    expect(['gone', 'Z']).toContain(state);
  });

  it('stops when the call is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const result = await runTool(
      ws.workspace,
      'bash',
      { command: 'sleep 30' },
      { signal: controller.signal },
    );
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.isError).toBe(true);
    expect(result.output).toContain('cancelled');
  });

  it('caps the output, keeping head and tail', async () => {
    const result = await runTool(ws.workspace, 'bash', {
      command: "echo FIRST; head -c 200000 /dev/zero | tr '\\0' a; echo; echo LAST",
    });
    expect(result.output.length).toBeLessThan(31_000);
    expect(result.output.startsWith('FIRST\n')).toBe(true);
    expect(result.output).toContain('LAST');
    expect(result.output).toContain('characters omitted');
    expect(result.metadata?.truncated).toBe(true);
  });

  it('streams output as progress', async () => {
    const chunks: string[] = [];
    await runTool(
      ws.workspace,
      'bash',
      { command: 'echo progress-1' },
      { onProgress: (text) => chunks.push(text) },
    );
    expect(chunks.join('')).toContain('progress-1');
  });

  it('never hands the host environment to commands', async () => {
    process.env.LOOM_TEST_PARENT_SECRET = 'sk-parent-secret';
    try {
      const result = await runTool(ws.workspace, 'bash', { command: 'env' });
      expect(result.output).not.toContain('sk-parent-secret');
      expect(result.output).toContain('PATH=');
    } finally {
      delete process.env.LOOM_TEST_PARENT_SECRET;
    }
  });
});

/**
 * The local weaver end to end: a real `loom weaver-agent` child inside bubblewrap. What the model
 * could ask for with bash must not reach it: the parent's keys, home directories, Loom's data
 * directory, other workspaces, the network. Skipped (with the reason printed) only without bwrap.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalWeaver, findBwrap, loomRoot, type Weaver } from '../../src/weaver/index.js';
import { call, captureLogger } from './weaver-test-support.js';

const bwrap = await findBwrap();
if (!bwrap.available) console.warn(`SKIPPED bubblewrap weaver tests: ${bwrap.reason}`);

const parentSecret = 'sk-test-secret-4f1d2c';
const driver = fileURLToPath(new URL('./fixtures/run-bash-in-local-weaver.ts', import.meta.url));

/** Walks up from the shell through every ancestor's environ, then greps all of /proc for the key. */
const environProbe =
  'p=$$; while [ "$p" -gt 1 ]; do tr "\\0" "\\n" < /proc/$p/environ; ' +
  'p=$(awk "/^PPid:/{print \\$2}" /proc/$p/status); done; tr "\\0" "\\n" < /proc/1/environ; ' +
  `grep -ls ${parentSecret} /proc/[0-9]*/environ; env; true`;

/** Runs the driver in a fresh process whose own environment holds the key from its start. */
function runDriver(workspaceDir: string): Promise<{ sandboxed: boolean; result: { output: string } }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', driver, workspaceDir, 'auto', environProbe],
      {
        env: { ...process.env, ANTHROPIC_API_KEY: parentSecret, GITHUB_TOKEN: parentToken },
        timeout: 90_000,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}
const parentToken = 'ghs_testtoken9b7e';

describe.skipIf(!bwrap.available)('local weaver in bubblewrap', () => {
  let workspaceDir: string;
  let otherWorkspace: string;
  let dataFile: string;
  let weaver: Weaver & { sandboxed: boolean };
  const dataSecret = `data-dir-secret-${Math.random().toString(36).slice(2)}`;

  beforeAll(async () => {
    workspaceDir = await mkdtemp(path.join(os.tmpdir(), 'loom-weaver-ws-'));
    otherWorkspace = await mkdtemp(path.join(os.tmpdir(), 'loom-weaver-other-'));
    await writeFile(path.join(otherWorkspace, 'theirs.txt'), 'another job\n');
    await mkdir(path.join(loomRoot, '.loom'), { recursive: true });
    dataFile = path.join(loomRoot, '.loom', `weaver-test-${process.pid}-${Date.now()}.txt`);
    await writeFile(dataFile, `${dataSecret}\n`);
    process.env.ANTHROPIC_API_KEY = parentSecret;
    process.env.GITHUB_TOKEN = parentToken;
    try {
      weaver = await createLocalWeaver({ workspaceDir, sandbox: 'auto', logger: captureLogger().logger });
    } finally {
      delete process.env.ANTHROPIC_API_KEY;
      delete process.env.GITHUB_TOKEN;
    }
  }, 90_000);

  afterAll(async () => {
    await weaver?.close();
    await rm(dataFile, { force: true });
    await rm(workspaceDir, { recursive: true, force: true });
    await rm(otherWorkspace, { recursive: true, force: true });
  });

  it('runs sandboxed at /workspace and offers the built-in tools', () => {
    expect(weaver.sandboxed).toBe(true);
    expect(weaver.workspace).toBe('/workspace');
    expect(weaver.definitions().map((definition) => definition.name)).toEqual([
      'read_file',
      'list_files',
      'glob',
      'grep',
      'edit_file',
      'write_file',
      'bash',
    ]);
    expect(weaver.isReadOnly('grep')).toBe(true);
    expect(weaver.isReadOnly('bash')).toBe(false);
  });

  it('runs tool calls against a writable workspace the host sees', async () => {
    const written = await call(weaver, 'write_file', {
      path: 'notes/hello.txt',
      content: 'hello from the weaver\n',
    });
    expect(written).toMatchObject({ isError: false, metadata: { filesChanged: ['notes/hello.txt'] } });
    expect(await readFile(path.join(workspaceDir, 'notes/hello.txt'), 'utf8')).toBe(
      'hello from the weaver\n',
    );
    const read = await call(weaver, 'read_file', { path: 'notes/hello.txt' });
    expect(read.output).toBe('     1\thello from the weaver');
    const progress: string[] = [];
    const listed = await call(
      weaver,
      'bash',
      { command: 'pwd; ls notes' },
      { onProgress: (text) => progress.push(text) },
    );
    expect(listed).toMatchObject({
      isError: false,
      output: '/workspace\nhello.txt\n',
      metadata: { exitCode: 0 },
    });
    expect(progress.join('')).toContain('hello.txt');
  });

  it('keeps system directories read-only', async () => {
    const probe = `/usr/loom-probe-${process.pid}`;
    try {
      const result = await call(weaver, 'bash', { command: `touch ${probe}` });
      expect(result.isError).toBe(true);
      expect(result.output).toContain('Read-only file system');
      expect(existsSync(probe)).toBe(false);
    } finally {
      await rm(probe, { force: true });
    }
  });

  it('never shows the parent environment, through env or any /proc/*/environ', async () => {
    const viaBash = await call(weaver, 'bash', {
      command:
        'env; cat /proc/self/environ; cat /proc/1/environ; for f in /proc/[0-9]*/environ; do cat "$f"; done; true',
    });
    expect(viaBash.output).toContain('PATH=');
    expect(viaBash.output).not.toContain(parentSecret);
    expect(viaBash.output).not.toContain(parentToken);
    expect(viaBash.output).not.toContain('ANTHROPIC_API_KEY');
    const viaReadFile = await call(weaver, 'read_file', { path: '/proc/self/environ' });
    expect(viaReadFile.isError).toBe(true);
    expect(viaReadFile.output).not.toContain(parentSecret);
  });

  it('never shows the key of a parent that held it from the start, in any environ', async () => {
    const { sandboxed, result } = await runDriver(workspaceDir);
    expect(sandboxed).toBe(true);
    expect(result.output).toContain('PATH=');
    expect(result.output).not.toContain(parentSecret);
    expect(result.output).not.toContain(parentToken);
    expect(result.output).not.toMatch(/\/proc\/\d+\/environ/);
  }, 90_000);

  it('hides home directories, the Loom data directory and other workspaces', async () => {
    const result = await call(weaver, 'bash', {
      command: [
        'ls /root',
        `ls ${JSON.stringify(os.homedir())}`,
        'ls /home',
        `cat ${JSON.stringify(dataFile)}`,
        `ls -a ${JSON.stringify(loomRoot)}`,
        `cat ${JSON.stringify(path.join(otherWorkspace, 'theirs.txt'))}`,
        'ls /tmp',
      ].join('; '),
    });
    expect(result.output).not.toContain(dataSecret);
    expect(result.output).not.toContain('another job');
    expect(result.output).toMatch(/ls: cannot access '\/root': No such file or directory/);
    expect(result.output).toMatch(/ls: cannot access '\/home': No such file or directory/);
    expect(result.output).toContain('No such file or directory');
    const loomListing = result.output
      .split('\n')
      .filter((line) => ['.loom', '.git', '.env', 'src'].includes(line));
    expect(loomListing).toEqual(['src']);
  });

  it('has no network, not even to services on the host loopback', async () => {
    const server = net.createServer((socket) => socket.end('hello\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const reachable = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => resolve(socket.end() !== undefined));
        socket.on('error', () => resolve(false));
      });
      expect(reachable).toBe(true);
      const result = await call(weaver, 'bash', {
        command: `exec 3<>/dev/tcp/127.0.0.1/${port} && echo CONNECTED; exec 4<>/dev/tcp/127.0.0.1/6379 && echo CONNECTED`,
      });
      expect(result.isError).toBe(true);
      expect(result.output).not.toContain('CONNECTED');
    } finally {
      server.close();
    }
  });

  it('cancels a call and stays usable', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 500);
    const started = Date.now();
    const cancelled = await call(weaver, 'bash', { command: 'sleep 30' }, { signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(cancelled).toMatchObject({ isError: true, output: 'bash was cancelled.' });
    const next = await call(weaver, 'bash', { command: 'echo still-here' });
    expect(next.output).toBe('still-here\n');
  });
});

/**
 * The local weaver's life beyond single calls, through a real sandboxed child: git bundles in and
 * out with a real repository, the per-call timeout, and an agent that dies mid-call.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import { createLocalWeaver, findBwrap, type Weaver } from '../../src/weaver/index.js';
import { bundleOf, call, captureLogger, createOriginRepository, git } from './weaver-test-support.js';

const bwrap = await findBwrap();
if (!bwrap.available) console.warn(`SKIPPED bubblewrap weaver lifecycle tests: ${bwrap.reason}`);

describe.skipIf(!bwrap.available)('local weaver: git bundles', () => {
  let origin: string;
  let workspaceDir: string;
  let weaver: Weaver;

  beforeAll(async () => {
    origin = await createOriginRepository();
    workspaceDir = await mkdtemp(path.join(os.tmpdir(), 'loom-weaver-git-'));
    weaver = await createLocalWeaver({ workspaceDir, sandbox: 'auto', logger: captureLogger().logger });
  }, 90_000);

  afterAll(async () => {
    await weaver?.close();
    await rm(origin, { recursive: true, force: true });
    await rm(workspaceDir, { recursive: true, force: true });
  });

  it('round-trips commits: bundle in, commit inside, bundle of only the new commits out', async () => {
    const base = git(origin, 'rev-parse', 'main');
    await weaver.importBundle(bundleOf(origin, 'HEAD', 'main'));
    const status = await call(weaver, 'bash', {
      command: 'git rev-parse --abbrev-ref HEAD; git rev-parse HEAD; git log --format=%s',
    });
    expect(status.output).toBe(`main\n${base}\nsecond\nfirst\n`);

    const committed = await call(weaver, 'bash', {
      command: 'echo "change" >> README.md && git commit -q -am "agent change" && git log -1 --format=%an',
    });
    expect(committed).toMatchObject({ isError: false, output: 'Loom\n' });

    const exported = await weaver.exportBundle(base);
    expect(exported).toBeInstanceOf(Buffer);
    const bundleFile = path.join(origin, '.git', 'from-weaver.bundle');
    await writeFile(bundleFile, exported as Buffer);
    git(origin, 'fetch', '-q', bundleFile, 'refs/heads/main:refs/remotes/weaver/main');
    expect(git(origin, 'log', '--format=%s', 'main..weaver/main')).toBe('agent change');
    expect(git(origin, 'rev-parse', 'weaver/main^')).toBe(base);
  });

  it('exports nothing when there is no new commit, and refuses a ref that looks like an option', async () => {
    const head = (await call(weaver, 'bash', { command: 'git rev-parse HEAD' })).output.trim();
    expect(await weaver.exportBundle(head)).toBeUndefined();
    await expect(weaver.exportBundle('--upload-pack=touch /tmp/x')).rejects.toSatisfy((error) =>
      isLoomError(error, 'invalid_input'),
    );
  });

  it('fetches a later bundle into origin/* without touching the checked-out branch', async () => {
    const before = (await call(weaver, 'bash', { command: 'git rev-parse HEAD' })).output.trim();
    await writeFile(path.join(origin, 'later.txt'), 'later\n');
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'later upstream');
    await weaver.importBundle(bundleOf(origin, 'main'));
    const after = await call(weaver, 'bash', { command: 'git rev-parse HEAD origin/main' });
    expect(after.output).toBe(`${before}\n${git(origin, 'rev-parse', 'main')}\n`);
  });
});

describe.skipIf(!bwrap.available)('local weaver: timeouts and crashes', () => {
  let workspaceDir: string;
  let weaver: Weaver;
  const captured = captureLogger();

  beforeAll(async () => {
    workspaceDir = await mkdtemp(path.join(os.tmpdir(), 'loom-weaver-crash-'));
    weaver = await createLocalWeaver({
      workspaceDir,
      sandbox: 'auto',
      callTimeoutMs: 1500,
      logger: captured.logger,
    });
  }, 90_000);

  afterAll(async () => {
    await weaver?.close();
    await rm(workspaceDir, { recursive: true, force: true });
  });

  it('ends a call at the per-call timeout with a timed-out error result', async () => {
    const started = Date.now();
    const result = await call(weaver, 'bash', { command: 'echo begun; sleep 30', timeout_secs: 60 });
    expect(Date.now() - started).toBeLessThan(8000);
    expect(result.isError).toBe(true);
    expect(result.metadata?.timedOut).toBe(true);
    expect(result.output).toContain('timed out after 1500 ms');
    expect(result.output).toContain('begun');
    expect((await call(weaver, 'bash', { command: 'echo alive' })).output).toBe('alive\n');
  });

  it('turns a crashed agent into error results and reports it', async () => {
    const crashed = await call(weaver, 'bash', { command: 'kill -KILL $PPID; sleep 5' });
    expect(crashed.isError).toBe(true);
    expect(crashed.output).toContain('The weaver agent stopped');
    const afterwards = await call(weaver, 'read_file', { path: 'anything.txt' });
    expect(afterwards.isError).toBe(true);
    expect(afterwards.output).toContain('did not run');
    expect(
      captured.records.some((record) => record.msg === 'weaver agent crashed' && record.level === 50),
    ).toBe(true);
    await weaver.close();
  });
});

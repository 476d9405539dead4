/**
 * The worker's repository mirror against a real git smart-HTTP server: fetch and push with a token,
 * bundles out to a workspace and back, and no token left anywhere on disk.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLoomError } from '../../src/errors/index.js';
import { createRepositoryMirror, type RepositoryMirror } from '../../src/git/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { startFakeConnectProxy } from '../proxy/support/fake-connect-proxy.js';
import { startGitHttpServer, type GitHttpServer } from './support/git-http-server.js';
import {
  commitFiles,
  createHostedRepository,
  git,
  hostedBranches,
  hostedFile,
  hostedRepositoryPath,
} from './support/hosted-repository.js';

const token = 'ghs_mirrorTestToken0123456789';

async function thrown(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Every file under a directory, read as text, concatenated (to search for a leaked token). */
async function allText(directory: string): Promise<string> {
  const output = await git(directory, ['-c', 'safe.directory=*', 'config', '--list', '--local']).catch(
    () => '',
  );
  const packed = await readFile(path.join(directory, 'packed-refs'), 'utf8').catch(() => '');
  const config = await readFile(path.join(directory, 'config'), 'utf8').catch(() => '');
  return `${output}${packed}${config}`;
}

describe('createRepositoryMirror', { timeout: 90_000 }, () => {
  let host: GitHttpServer;
  let dataDir: string;
  let mirror: RepositoryMirror;
  let initial: string;

  beforeEach(async () => {
    host = await startGitHttpServer({ tokens: [token] });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'loom-mirror-test-'));
    initial = await createHostedRepository(host.root, 'acme', 'web', {
      'README.md': '# web\n',
      'AGENTS.md': 'Run npm test.\n',
    });
    mirror = createRepositoryMirror({
      rootDir: path.join(dataDir, 'mirrors'),
      gitUrl: host.url,
      owner: 'acme',
      repo: 'web',
      logger: createSilentLogger(),
    });
  });

  afterEach(async () => {
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('fetches and pushes through the outbound proxy when one is configured', async () => {
    // github.test resolves only inside the proxy: reaching it proves git went through the proxy.
    const proxy = await startFakeConnectProxy({ hosts: { 'github.test': '127.0.0.1' } });
    try {
      const proxied = createRepositoryMirror({
        rootDir: path.join(dataDir, 'proxied-mirrors'),
        gitUrl: host.url.replace('127.0.0.1', 'github.test'),
        owner: 'acme',
        repo: 'web',
        logger: createSilentLogger(),
        outboundProxy: { httpProxy: proxy.url, httpsProxy: undefined, noProxy: undefined },
      });
      await proxied.fetch(token);
      expect(await proxied.resolve('main')).toBe(initial);
      await proxied.push(token, { commit: initial, branch: 'loom/via-proxy' });
      expect((await hostedBranches(host.root, 'acme', 'web'))['loom/via-proxy']).toBe(initial);
      expect(proxy.forwarded.map((request) => new URL(request.url).host)).toContain(
        new URL(host.url.replace('127.0.0.1', 'github.test')).host,
      );
      expect(host.pushes()).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });

  it('fetches with the token and keeps the token out of the mirror', async () => {
    await mirror.fetch(token);
    expect(await mirror.resolve('refs/heads/main')).toBe(initial);
    expect(await mirror.readFile(initial, 'AGENTS.md')).toBe('Run npm test.\n');
    expect(await mirror.readFile(initial, 'missing.md')).toBeUndefined();
    expect(host.requests.every((request) => request.authorized)).toBe(true);
    expect(await allText(mirror.path)).not.toContain(token);
    expect(await allText(mirror.path)).not.toContain(
      Buffer.from(`x-access-token:${token}`).toString('base64'),
    );
  });

  it('fails a fetch with a wrong token, without echoing the token', async () => {
    const error = await thrown(mirror.fetch('ghs_wrong_token_abc'));
    expect(isLoomError(error)).toBe(true);
    expect((error as Error).message).not.toContain('ghs_wrong_token_abc');
    expect(host.requests.some((request) => !request.authorized)).toBe(true);
  });

  it('prunes branches deleted on the host and lists branches by prefix', async () => {
    const bare = hostedRepositoryPath(host.root, 'acme', 'web');
    await commitFiles(bare, 'loom/5-fix-test', { 'a.txt': 'a\n' }, { from: 'main' });
    await commitFiles(bare, 'loom/51-other', { 'b.txt': 'b\n' }, { from: 'main' });
    await mirror.fetch(token);
    expect((await mirror.listBranches('loom/5-')).map((branch) => branch.name)).toEqual(['loom/5-fix-test']);
    await git(bare, ['update-ref', '-d', 'refs/heads/loom/5-fix-test']);
    await mirror.fetch(token);
    expect(await mirror.listBranches('loom/5-')).toEqual([]);
  });

  it('ships a branch out as a bundle and pushes the commits that come back', async () => {
    await mirror.fetch(token);
    const bundle = await mirror.createBundle({ branch: 'loom/7-new-feature', commit: initial });
    // The workspace side, as the weaver does it: clone the bundle, commit, bundle the new commits.
    const workspace = await mkdtemp(path.join(os.tmpdir(), 'loom-mirror-ws-'));
    try {
      const bundleFile = path.join(workspace, '..', `${path.basename(workspace)}.bundle`);
      await writeFile(bundleFile, bundle);
      expect(await git(workspace, ['bundle', 'list-heads', bundleFile])).toContain(
        'refs/heads/loom/7-new-feature',
      );
      await git(workspace, ['clone', '-q', '-b', 'loom/7-new-feature', bundleFile, 'repo']);
      const repo = path.join(workspace, 'repo');
      expect(await git(repo, ['config', '--get', 'remote.origin.url'])).not.toContain(host.url);
      await writeFile(path.join(repo, 'feature.txt'), 'new\n');
      await git(repo, ['add', '-A']);
      await git(repo, ['commit', '-q', '-m', 'Add feature']);
      await git(repo, ['bundle', 'create', '-q', bundleFile, `${initial}..HEAD`]);
      const tip = await mirror.receiveBundle(await readFile(bundleFile), 'refs/loom/incoming/R-1');
      expect(tip).toBe((await git(repo, ['rev-parse', 'HEAD'])).trim());
      expect(await mirror.countCommits(initial, tip)).toBe(1);
      await mirror.push(token, { commit: tip, branch: 'loom/7-new-feature' });
      expect((await hostedBranches(host.root, 'acme', 'web'))['loom/7-new-feature']).toBe(tip);
      expect(await hostedFile(host.root, 'acme', 'web', 'loom/7-new-feature', 'feature.txt')).toBe('new\n');
      expect(host.pushes().length).toBe(1);
      await rm(bundleFile, { force: true });
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });

  it('reports a non-fast-forward push as a conflict and a forced one goes through', async () => {
    await mirror.fetch(token);
    const bare = hostedRepositoryPath(host.root, 'acme', 'web');
    const moved = await commitFiles(bare, 'main', { 'other.txt': 'teammate\n' });
    const error = await thrown(mirror.push(token, { commit: initial, branch: 'main' }));
    expect(isLoomError(error, 'conflict')).toBe(true);
    expect((await hostedBranches(host.root, 'acme', 'web')).main).toBe(moved);
    await mirror.push(token, { commit: initial, branch: 'loom/wip/1-x' });
    await mirror.push(token, { commit: initial, branch: 'loom/wip/1-x', force: true });
    expect((await hostedBranches(host.root, 'acme', 'web'))['loom/wip/1-x']).toBe(initial);
  });

  it('forgets a finished run: its ref goes and unreachable objects can be pruned', async () => {
    await mirror.fetch(token);
    const bare = hostedRepositoryPath(host.root, 'acme', 'web');
    const tip = await commitFiles(bare, 'scratch', { 'scratch.txt': 'x\n' }, { from: 'main' });
    await mirror.fetch(token, ['+refs/heads/scratch:refs/loom/runs/R-9']);
    await git(bare, ['update-ref', '-d', 'refs/heads/scratch']);
    await mirror.fetch(token);
    expect(await mirror.resolve('refs/loom/runs/R-9')).toBe(tip);
    await mirror.forgetRun('refs/loom/runs/R-9');
    expect(await mirror.resolve('refs/loom/runs/R-9')).toBeUndefined();
    // Only run refs can be forgotten.
    expect(isLoomError(await thrown(mirror.forgetRun('refs/heads/main')), 'invalid_input')).toBe(true);
    expect(await mirror.resolve('refs/heads/main')).toBe(initial);
  });

  it('refuses branch names git could read as options or that escape refs/heads', async () => {
    await mirror.fetch(token);
    for (const branch of ['-f', '../x', 'a..b', 'x.lock', 'a b']) {
      expect(
        isLoomError(await thrown(mirror.push(token, { commit: initial, branch })), 'invalid_input'),
      ).toBe(true);
    }
    expect(() =>
      createRepositoryMirror({
        rootDir: dataDir,
        gitUrl: host.url,
        owner: '..',
        repo: 'x',
        logger: createSilentLogger(),
      }),
    ).toThrow();
  });
});

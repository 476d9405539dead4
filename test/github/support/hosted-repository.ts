/**
 * Repositories on the test git host: create one with files, add commits to a branch (as a teammate
 * pushing), and read what Loom pushed, all with plain git on the host's bare repositories.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

const gitEnvironment = {
  PATH: process.env.PATH ?? '/usr/bin:/bin',
  HOME: os.tmpdir(),
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Dev',
  GIT_AUTHOR_EMAIL: 'dev@example.test',
  GIT_COMMITTER_NAME: 'Dev',
  GIT_COMMITTER_EMAIL: 'dev@example.test',
};

export async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await exec('git', args, { cwd, env: gitEnvironment, maxBuffer: 16 * 1024 * 1024 });
  return stdout;
}

export function hostedRepositoryPath(root: string, owner: string, repo: string): string {
  return path.join(root, owner, `${repo}.git`);
}

/** Commits `files` on `branch` of the bare repository (creating the branch from `from` when new). */
export async function commitFiles(
  bare: string,
  branch: string,
  files: Record<string, string>,
  options: { message?: string; from?: string } = {},
): Promise<string> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'loom-hosted-work-'));
  try {
    await git(work, ['init', '-q', '-b', branch]);
    const start = options.from ?? branch;
    const exists = (await git(bare, ['for-each-ref', `refs/heads/${start}`])).trim() !== '';
    if (exists) {
      await git(work, ['fetch', '-q', bare, `refs/heads/${start}`]);
      await git(work, ['checkout', '-q', '-B', branch, 'FETCH_HEAD']);
    }
    for (const [name, content] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(work, name)), { recursive: true });
      await writeFile(path.join(work, name), content);
    }
    await git(work, ['add', '-A']);
    await git(work, ['commit', '-q', '-m', options.message ?? 'Update files']);
    await git(work, ['push', '-q', bare, `HEAD:refs/heads/${branch}`]);
    return (await git(work, ['rev-parse', 'HEAD'])).trim();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Creates `owner/repo` on the host with one commit of `files` on `main`; returns that commit. */
export async function createHostedRepository(
  root: string,
  owner: string,
  repo: string,
  files: Record<string, string>,
): Promise<string> {
  const bare = hostedRepositoryPath(root, owner, repo);
  await mkdir(bare, { recursive: true });
  await git(bare, ['init', '--bare', '-q', '-b', 'main']);
  return commitFiles(bare, 'main', files, { message: 'Initial commit' });
}

/** Branch name → commit, for every branch of the hosted repository. */
export async function hostedBranches(
  root: string,
  owner: string,
  repo: string,
): Promise<Record<string, string>> {
  const output = await git(hostedRepositoryPath(root, owner, repo), [
    'for-each-ref',
    '--format=%(refname:lstrip=2) %(objectname)',
    'refs/heads/',
  ]);
  return Object.fromEntries(
    output
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(' ') as [string, string]),
  );
}

export async function hostedFile(
  root: string,
  owner: string,
  repo: string,
  revision: string,
  file: string,
): Promise<string> {
  return git(hostedRepositoryPath(root, owner, repo), ['show', `${revision}:${file}`]);
}

/** `git log -1 --format=...` of a revision on the host. */
export async function hostedLog(
  root: string,
  owner: string,
  repo: string,
  revision: string,
  format: string,
): Promise<string> {
  return (
    await git(hostedRepositoryPath(root, owner, repo), ['log', '-1', `--format=${format}`, revision])
  ).trim();
}

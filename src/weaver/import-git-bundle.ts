/**
 * Brings a git bundle into the workspace like `git clone` (first time) or `git fetch` (later): the
 * bundle's branches land under `refs/remotes/origin/*`, tags under `refs/tags/*`, and on the first
 * import the bundle's HEAD branch is checked out as a local branch.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { LoomError } from '../errors/index.js';
import { runGit } from './run-git.js';

interface BundleRef {
  sha: string;
  ref: string;
}

function parseHeads(listing: string): BundleRef[] {
  return listing
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts): parts is [string, string] => parts.length === 2)
    .map(([sha, ref]) => ({ sha, ref }));
}

/** The branch to check out: the one HEAD points at, else `main`/`master`, else the first. */
export function chooseBranch(heads: BundleRef[]): string | undefined {
  const branches = heads.filter((head) => head.ref.startsWith('refs/heads/'));
  const headSha = heads.find((head) => head.ref === 'HEAD')?.sha;
  const chosen =
    branches.find((branch) => branch.sha === headSha) ??
    branches.find((branch) => branch.ref === 'refs/heads/main' || branch.ref === 'refs/heads/master') ??
    branches[0];
  return chosen?.ref.slice('refs/heads/'.length);
}

async function ensureIdentity(workspace: string): Promise<void> {
  // Commits inside a weaver need an author; HOME is a scratch directory there, so the repository
  // gets a local default unless someone configured one.
  for (const [key, value] of [
    ['user.name', 'Loom'],
    ['user.email', 'loom@users.noreply.localhost'],
  ] as const) {
    const current = await runGit(workspace, ['config', '--get', key], { allowFailure: true });
    if (current.exitCode !== 0) await runGit(workspace, ['config', key, value]);
  }
}

/** Imports the bundle file at `bundlePath` into `workspace`; resolves to the checked-out commit. */
export async function importGitBundle(workspace: string, bundlePath: string): Promise<string> {
  const heads = parseHeads((await runGit(workspace, ['bundle', 'list-heads', bundlePath])).stdout);
  if (heads.length === 0) throw new LoomError('invalid_input', 'The git bundle contains no refs.');
  if (!existsSync(path.join(workspace, '.git'))) await runGit(workspace, ['init', '-q']);
  const hadCommits =
    (await runGit(workspace, ['rev-parse', '--verify', '-q', 'HEAD'], { allowFailure: true })).exitCode === 0;
  await runGit(workspace, [
    'fetch',
    '-q',
    '--no-write-fetch-head',
    bundlePath,
    '+refs/heads/*:refs/remotes/origin/*',
    '+refs/tags/*:refs/tags/*',
  ]);
  if (!hadCommits) {
    const branch = chooseBranch(heads);
    if (branch !== undefined) {
      await runGit(workspace, [
        'checkout',
        '-q',
        '-f',
        '--no-track',
        '-B',
        branch,
        `refs/remotes/origin/${branch}`,
      ]);
    } else {
      // A bundle of a detached HEAD only: check that commit out as it is.
      await runGit(workspace, ['fetch', '-q', bundlePath, 'HEAD']);
      await runGit(workspace, ['checkout', '-q', '-f', '--detach', 'FETCH_HEAD']);
    }
  }
  await ensureIdentity(workspace);
  return (await runGit(workspace, ['rev-parse', 'HEAD'])).stdout.trim();
}

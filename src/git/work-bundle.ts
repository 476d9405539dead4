/**
 * Bundles between the mirror and a weaver.
 *
 * Out: the weaver checks out the branch a bundle names, so the bundle must name the branch the agent
 * works on, even when that branch does not exist yet on the remote. Rather than write that ref into
 * the shared mirror (where another job's fetch could move or prune it), the bundle is cut from a
 * scratch repository that borrows the mirror's objects (`objects/info/alternates`) and holds just one
 * ref: nothing is copied, and concurrent jobs never touch each other's refs.
 *
 * In: the weaver's bundle is fetched into the mirror under a ref private to the run.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoomError } from '../errors/index.js';
import { assertSafeBranchName, isCommitId } from './mirror-path.js';
import { runGitCommand } from './run-git-command.js';

async function withScratchDirectory<T>(work: (directory: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'loom-bundle-'));
  try {
    return await work(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** A bundle of `commit` (with its history) as `refs/heads/{branch}`, from the mirror at `mirrorDir`. */
export async function createWorkBundle(
  mirrorDir: string,
  input: { branch: string; commit: string },
): Promise<Buffer> {
  assertSafeBranchName(input.branch);
  if (!isCommitId(input.commit)) throw new LoomError('invalid_input', `Not a commit id: ${input.commit}`);
  return withScratchDirectory(async (directory) => {
    const scratch = path.join(directory, 'scratch.git');
    await runGitCommand(['init', '--bare', '-q', scratch], { cwd: directory });
    await writeFile(
      path.join(scratch, 'objects', 'info', 'alternates'),
      `${path.join(mirrorDir, 'objects')}\n`,
    );
    await runGitCommand(['update-ref', `refs/heads/${input.branch}`, input.commit], { cwd: scratch });
    const file = path.join(directory, 'work.bundle');
    await runGitCommand(['bundle', 'create', '-q', file, `refs/heads/${input.branch}`], { cwd: scratch });
    return readFile(file);
  });
}

/**
 * Fetches the single tip of a weaver's bundle into the mirror as `ref` and returns its commit. The
 * bundle's prerequisites (the commit the weaver started from) must already be in the mirror.
 */
export async function receiveWorkBundle(mirrorDir: string, bundle: Buffer, ref: string): Promise<string> {
  if (!ref.startsWith('refs/loom/')) throw new LoomError('invalid_input', `Refusing to receive into ${ref}`);
  return withScratchDirectory(async (directory) => {
    const file = path.join(directory, 'incoming.bundle');
    await writeFile(file, bundle);
    const heads = (await runGitCommand(['bundle', 'list-heads', file], { cwd: mirrorDir })).stdout
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((parts): parts is [string, string] => parts.length === 2);
    const tip = heads.find(([, name]) => name.startsWith('refs/heads/')) ?? heads[0];
    if (tip === undefined) throw new LoomError('invalid_input', 'The bundle from the weaver has no refs.');
    await runGitCommand(['bundle', 'verify', '-q', file], { cwd: mirrorDir });
    await runGitCommand(['fetch', '-q', '--no-write-fetch-head', file, `+${tip[1]}:${ref}`], {
      cwd: mirrorDir,
    });
    return (
      await runGitCommand(['rev-parse', '--verify', `${ref}^{commit}`], { cwd: mirrorDir })
    ).stdout.trim();
  });
}

/** Packs the workspace's new commits (checked-out branch, since a base the worker has) as a bundle. */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LoomError } from '../errors/index.js';
import { runGit } from './run-git.js';

/** A ref name is passed to git as an argument: refuse anything git could read as an option. */
export function isSafeRef(ref: string): boolean {
  return ref !== '' && !ref.startsWith('-') && !/[\s\0]/.test(ref);
}

/** The bundle's bytes, or undefined when HEAD has no commit that `baseRef` lacks. */
export async function exportGitBundle(workspace: string, baseRef: string): Promise<Buffer | undefined> {
  if (!isSafeRef(baseRef))
    throw new LoomError('invalid_input', `Not a valid git ref: ${JSON.stringify(baseRef)}`);
  const base = await runGit(workspace, ['rev-parse', '--verify', '-q', `${baseRef}^{commit}`], {
    allowFailure: true,
  });
  if (base.exitCode !== 0)
    throw new LoomError('invalid_input', `Unknown base ref in the workspace: ${baseRef}`);
  const count = Number((await runGit(workspace, ['rev-list', '--count', `${baseRef}..HEAD`])).stdout.trim());
  if (count === 0) return undefined;
  const branch = await runGit(workspace, ['symbolic-ref', '-q', 'HEAD'], { allowFailure: true });
  const tip = branch.exitCode === 0 ? branch.stdout.trim() : 'HEAD';
  const directory = await mkdtemp(path.join(os.tmpdir(), 'loom-bundle-'));
  try {
    const file = path.join(directory, 'export.bundle');
    await runGit(workspace, ['bundle', 'create', '-q', file, `${baseRef}..${tip}`]);
    return await readFile(file);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

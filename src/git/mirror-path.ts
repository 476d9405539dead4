/** Where a repository's mirror lives, and the name checks that keep a path or a ref from escaping. */
import path from 'node:path';
import { LoomError } from '../errors/index.js';

const namePattern = /^[A-Za-z0-9_.-]+$/;

/** True for a GitHub owner or repository name we are willing to turn into a path. */
export function isSafeRepositoryName(name: string): boolean {
  return namePattern.test(name) && name !== '.' && name !== '..' && !name.startsWith('-');
}

/** `{rootDir}/{owner}/{repo}.git`; throws `invalid_input` for names that could escape `rootDir`. */
export function mirrorPath(rootDir: string, owner: string, repo: string): string {
  if (!isSafeRepositoryName(owner) || !isSafeRepositoryName(repo)) {
    throw new LoomError('invalid_input', `Not a repository name: ${JSON.stringify(`${owner}/${repo}`)}`);
  }
  return path.join(rootDir, owner, `${repo.replace(/\.git$/, '')}.git`);
}

function hasControlCharacter(text: string): boolean {
  for (const character of text) {
    const code = character.codePointAt(0) ?? 0;
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

/**
 * A branch name git accepts (a subset of `git check-ref-format`): no option-like start, no `..`,
 * no control characters or the characters git forbids, no trailing `.lock`, `/` or `.`.
 */
export function isSafeBranchName(branch: string): boolean {
  if (branch === '' || branch.length > 250 || branch.startsWith('-') || branch.startsWith('/')) return false;
  if (branch.includes('..') || branch.includes('//') || branch.includes('@{')) return false;
  if (/[\s~^:?*[\\]/.test(branch) || hasControlCharacter(branch)) return false;
  if (branch.endsWith('/') || branch.endsWith('.') || branch.endsWith('.lock')) return false;
  return branch.split('/').every((part) => part !== '' && !part.startsWith('.'));
}

export function assertSafeBranchName(branch: string): void {
  if (!isSafeBranchName(branch)) {
    throw new LoomError('invalid_input', `Not a valid branch name: ${JSON.stringify(branch)}`);
  }
}

/** A full commit id (SHA-1 or SHA-256). */
export function isCommitId(value: string): boolean {
  return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(value);
}

/**
 * Confines a path the model gave to the workspace. Two checks, because either alone is not enough:
 * a lexical one (`..`, absolute paths) and a physical one (the real path of the deepest existing
 * ancestor), so a symbolic link inside the workspace that points outside, or a symlinked parent
 * directory, is refused for reads and writes alike.
 */
import { lstat, realpath } from 'node:fs/promises';
import path from 'node:path';
import { LoomError } from '../errors/index.js';

export interface WorkspacePath {
  /** Real absolute path of the workspace itself. */
  root: string;
  /** Absolute real path to use for I/O (symbolic links inside the workspace already resolved). */
  absolute: string;
  /** The same path relative to the workspace, with `/` separators; `.` for the workspace itself. */
  relative: string;
  /** Whether something exists at the path. */
  exists: boolean;
}

function outside(requested: string, why: string): LoomError {
  return new LoomError('path_outside_workspace', `Path "${requested}" is outside the workspace (${why}).`, {
    details: { path: requested },
  });
}

/** True when `candidate` is `root` or lies below it (both absolute and normalized). */
export function isInside(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function toRelative(root: string, target: string): string {
  const relative = path.relative(root, target);
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

async function lstatOrUndefined(target: string): Promise<Awaited<ReturnType<typeof lstat>> | undefined> {
  try {
    return await lstat(target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Resolves `requested` (relative to the workspace, or absolute inside it) to a real path inside the
 * workspace. Throws `LoomError('path_outside_workspace')` when it is, or would become, outside.
 */
export async function resolveWorkspacePath(workspace: string, requested: string): Promise<WorkspacePath> {
  if (requested.includes('\0')) throw outside(requested, 'contains a NUL byte');
  const root = await realpath(workspace);
  const lexical = path.resolve(workspace, requested === '' ? '.' : requested);
  const lexicalRoot = path.resolve(workspace);
  // Absolute paths are accepted when they name something inside the workspace, as the model sees
  // the workspace's own path in `pwd`; the lexical check uses both spellings of the root.
  let relativeToRoot: string;
  if (isInside(lexicalRoot, lexical)) relativeToRoot = path.relative(lexicalRoot, lexical);
  else if (isInside(root, lexical)) relativeToRoot = path.relative(root, lexical);
  else throw outside(requested, path.isAbsolute(requested) ? 'absolute path' : 'leaves it with ..');

  // Walk down from the real root one component at a time, resolving symbolic links as we meet them,
  // until the first component that does not exist; the rest will be created as plain entries.
  const components = relativeToRoot === '' ? [] : relativeToRoot.split(path.sep);
  let current = root;
  for (let index = 0; index < components.length; index += 1) {
    const next = path.join(current, components[index] as string);
    const stats = await lstatOrUndefined(next);
    if (stats === undefined) {
      const absolute = path.join(next, ...components.slice(index + 1));
      return { root, absolute, relative: toRelative(root, absolute), exists: false };
    }
    if (stats.isSymbolicLink()) {
      let target: string;
      try {
        target = await realpath(next);
      } catch {
        // A dangling link would let a write create a file wherever it points.
        throw outside(requested, 'a dangling symbolic link');
      }
      if (!isInside(root, target)) throw outside(requested, 'a symbolic link pointing outside');
      current = target;
    } else {
      current = next;
    }
  }
  return { root, absolute: current, relative: toRelative(root, current), exists: true };
}

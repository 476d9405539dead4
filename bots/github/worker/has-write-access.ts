/**
 * Who may start a run: people with write access or more to the repository (RELIABILITY 16, 17).
 * `triage` and `read` may comment but not make Loom push.
 */
import type { RepositoryPermission } from './github-worker-api.js';

const writers: ReadonlySet<RepositoryPermission> = new Set(['admin', 'maintain', 'write']);

export function hasWriteAccess(permission: RepositoryPermission): boolean {
  return writers.has(permission);
}

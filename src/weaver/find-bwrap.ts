/**
 * Finds a bubblewrap that works here. Being installed is not enough: containers without user
 * namespaces make every bwrap call fail, so a trivial sandbox is tried once before relying on it.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';

const candidates = ['/usr/bin/bwrap', '/usr/local/bin/bwrap', '/bin/bwrap'];

export type BwrapProbe = { available: true; path: string } | { available: false; reason: string };

function probe(bwrapPath: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      bwrapPath,
      ['--unshare-all', '--die-with-parent', '--ro-bind', '/', '/', '--', 'true'],
      { env: {}, timeout: 10_000 },
      (error, _stdout, stderr) => resolve(error === null ? undefined : stderr.trim() || error.message),
    );
  });
}

/** Looks for bwrap in the usual places and checks that it can start a sandbox. */
export async function findBwrap(): Promise<BwrapProbe> {
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
    } catch {
      continue;
    }
    const failure = await probe(candidate);
    if (failure === undefined) return { available: true, path: candidate };
    return { available: false, reason: `${candidate} cannot create a sandbox here: ${failure}` };
  }
  return { available: false, reason: 'bubblewrap (bwrap) is not installed' };
}

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** A reader for `loadRepositoryInstructions` over a local directory; missing files read as undefined. */
export function workspaceFileReader(
  workspace: string,
): (relativePath: string) => Promise<string | undefined> {
  return async (relativePath) => {
    try {
      return await readFile(join(workspace, relativePath), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };
}

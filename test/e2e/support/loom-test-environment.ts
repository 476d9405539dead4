/**
 * A throwaway home and data directory for a `loom` child process, and the environment that points
 * it at a fake model server. Nothing of the test runner's own environment is passed on but PATH.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LoomTestEnvironment {
  home: string;
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function createLoomTestEnvironment(
  extra: Record<string, string> = {},
): Promise<LoomTestEnvironment> {
  const home = await mkdtemp(join(tmpdir(), 'loom-cli-home-'));
  return {
    home,
    env: { HOME: home, LOOM_DATA_DIR: join(home, '.loom'), NO_COLOR: '1', ...extra },
    cleanup: () => rm(home, { recursive: true, force: true }),
  };
}

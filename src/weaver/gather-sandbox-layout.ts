/** Gathers the host facts `buildBwrapArguments` needs: which system paths exist, and how. */
import { existsSync } from 'node:fs';
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../tools/resolve-workspace-path.js';
import { sandboxWorkspacePath, type SandboxLayout, type SandboxMount } from './bwrap-arguments.js';
import { weaverEnvironment } from './weaver-environment.js';

/** System directories a build may need, read-only. Home directories, /root, /run, /var are absent. */
export const systemPaths = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/etc'];

/** What of the Loom install the agent needs to run; `.loom`, `.env`, `.git` and the rest stay out. */
export const loomInstallEntries = ['package.json', 'tsconfig.json', 'src', 'node_modules'];

async function systemMount(hostPath: string): Promise<SandboxMount | undefined> {
  try {
    const stats = await lstat(hostPath);
    return stats.isSymbolicLink()
      ? { path: hostPath, symlinkTarget: await readlink(hostPath) }
      : { path: hostPath };
  } catch {
    return undefined;
  }
}

export interface GatherSandboxLayoutOptions {
  loomRoot: string;
  workspaceDir: string;
  /** Loom's data directory: covered with a tmpfs should it lie inside a mounted tree. */
  dataDir?: string | undefined;
}

/** The sandbox layout for running this Loom install's agent on `workspaceDir`. */
export async function gatherSandboxLayout(options: GatherSandboxLayoutOptions): Promise<SandboxLayout> {
  const systemMounts = (await Promise.all(systemPaths.map(systemMount))).filter(
    (mount): mount is SandboxMount => mount !== undefined,
  );
  const loomRoot = await realpath(options.loomRoot);
  const readOnlyPaths = loomInstallEntries
    .map((entry) => path.join(loomRoot, entry))
    .filter((entry) => existsSync(entry));
  const nodeBinary = await realpath(process.execPath);
  const mounted = [...systemMounts.map((mount) => mount.path), ...readOnlyPaths];
  // A Node installed outside the system directories (nvm, /opt): mount its prefix read-only.
  if (!mounted.some((root) => isInside(root, nodeBinary)))
    readOnlyPaths.push(path.dirname(path.dirname(nodeBinary)));
  const hiddenPaths: string[] = [];
  if (options.dataDir !== undefined && existsSync(options.dataDir)) {
    const dataDir = await realpath(options.dataDir);
    if ([...mounted, ...readOnlyPaths].some((root) => isInside(root, dataDir))) hiddenPaths.push(dataDir);
  }
  return {
    systemMounts,
    readOnlyPaths,
    hiddenPaths,
    workspaceDir: await realpath(options.workspaceDir),
    environment: weaverEnvironment('/tmp'),
    command: [
      nodeBinary,
      path.join(loomRoot, 'src', 'cli', 'loom.js'),
      'weaver-agent',
      '--workspace',
      sandboxWorkspacePath,
    ],
  };
}

/**
 * A weaver container, played by local processes: its /workspace and /tmp are fresh temporary
 * directories, its environment is the pod's `env` (nothing from this process), `loom` on its PATH
 * runs this checkout's `src/cli/loom.js`. The container's main command (the warm-up) and its
 * readiness probe really run, and exec'd commands run in it as the kubelet would run them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1Container } from '@kubernetes/client-node';
import { defaultToolPath } from '../../../src/tools/tool-environment.js';

const loomBin = fileURLToPath(new URL('../../../src/cli/loom.js', import.meta.url));

/** A directory holding a `loom` executable that runs this checkout (shared by all containers). */
export async function createLoomShim(): Promise<string> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'loom-fake-k8s-bin-'));
  const script = `#!/bin/sh\nexec '${process.execPath}' '${loomBin}' "$@"\n`;
  await writeFile(path.join(directory, 'loom'), script);
  await chmod(path.join(directory, 'loom'), 0o755);
  return directory;
}

export interface FakeContainer {
  readonly workspaceDir: string;
  readonly tmpDir: string;
  /** Starts a process in the container (paths and environment mapped); killed with the container. */
  spawn(command: string[]): ChildProcess;
  /** Runs the main command; `onExit` hears about it unless the container was killed. */
  startMain(onExit: (code: number | null) => void): void;
  /** Resolves once the readiness probe passes (at once without a probe). */
  waitReady(): Promise<void>;
  /** SIGKILLs every process of the container. */
  kill(): void;
  /** Kills and removes the directories. */
  destroy(): Promise<void>;
}

export async function createFakeContainer(container: V1Container, shimDir: string): Promise<FakeContainer> {
  const workspaceDir = await mkdtemp(path.join(os.tmpdir(), 'loom-fake-pod-workspace-'));
  const tmpDir = await mkdtemp(path.join(os.tmpdir(), 'loom-fake-pod-tmp-'));
  const mapPaths = (text: string): string =>
    text.replace(/(?<![\w.-])\/(workspace|tmp)(?![\w.-])/g, (_match, which: string) =>
      which === 'workspace' ? workspaceDir : tmpDir,
    );
  const environment: Record<string, string> = { PATH: `${shimDir}:${defaultToolPath()}` };
  for (const variable of container.env ?? []) environment[variable.name] = mapPaths(variable.value ?? '');
  const processes = new Set<ChildProcess>();
  let killed = false;
  let stopProbe = false;

  const spawnInContainer = (command: string[]): ChildProcess => {
    const [file, ...args] = command.map(mapPaths);
    // Its own process group, so killing the container takes the commands it started too.
    const child = spawn(file as string, args, {
      cwd: mapPaths(container.workingDir ?? '/workspace'),
      env: environment,
      stdio: 'pipe',
      detached: true,
    });
    processes.add(child);
    child.on('exit', () => processes.delete(child));
    child.on('error', () => processes.delete(child));
    return child;
  };

  const kill = (): void => {
    killed = true;
    stopProbe = true;
    for (const child of processes) {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }
  };

  const runProbe = (command: string[]): Promise<boolean> =>
    new Promise((resolve) => {
      const probe = spawnInContainer(command);
      probe.on('exit', (code) => resolve(code === 0));
      probe.on('error', () => resolve(false));
    });

  return {
    workspaceDir,
    tmpDir,
    spawn: spawnInContainer,
    startMain(onExit) {
      const command = [...(container.command ?? []), ...(container.args ?? [])];
      if (command.length === 0) return;
      const main = spawnInContainer(command);
      main.stdout?.resume();
      main.stderr?.resume();
      main.on('exit', (code) => {
        if (!killed) onExit(code);
      });
    },
    async waitReady() {
      const probe = container.readinessProbe?.exec?.command;
      if (probe === undefined) return;
      while (!stopProbe) {
        if (await runProbe(probe)) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    kill,
    async destroy() {
      kill();
      await rm(workspaceDir, { recursive: true, force: true });
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}

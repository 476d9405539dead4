/** Starts the benchmark's servers as child processes and stops exactly those processes. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/** Every child still running; killed when this process exits for any reason (even a broken stdout pipe). */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

export interface BenchServer {
  url: string;
  pid: number | undefined;
  info: Record<string, string>;
  stop(): Promise<void>;
}

/** Runs a TypeScript file with tsx and waits for its `{"ready": true, "url": ...}` line. */
export function spawnTsServer(
  file: string,
  args: string[],
  timeoutMs = 30_000,
  nodeOptions: string[] = [],
): Promise<BenchServer> {
  const child = track(
    spawn(process.execPath, [...nodeOptions, '--import', 'tsx', join(repositoryRoot, file), ...args], {
      cwd: repositoryRoot,
      // stdin stays open as a lifeline: the child exits when it closes (this process died).
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${file} did not start within ${timeoutMs} ms`)),
      timeoutMs,
    );
    let buffer = '';
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGTERM');
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`${file} exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((candidate) => candidate.startsWith('{"ready"'));
      if (line === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      const info = JSON.parse(line) as Record<string, string>;
      resolve({ url: info.url as string, pid: child.pid, info, stop: () => stop(child) });
    });
  });
}

/**
 * Starts `@portkey-ai/gateway` (its own CLI, `--headless`) on a free-ish port and waits until it
 * answers; resolves to the reason when it cannot be found or started here.
 */
export async function startPortkey(
  port: number,
  timeoutMs = 30_000,
): Promise<BenchServer | { unavailable: string }> {
  try {
    createRequire(import.meta.url).resolve('@portkey-ai/gateway/package.json');
  } catch {
    return {
      unavailable: '@portkey-ai/gateway is not installed (npm install --save-dev @portkey-ai/gateway@1.15.2)',
    };
  }
  const child = track(
    spawn(
      process.execPath,
      ['--import', 'tsx', join(repositoryRoot, 'bench/proxy/portkey-process.ts'), String(port)],
      {
        cwd: repositoryRoot,
        stdio: ['pipe', 'ignore', 'ignore'],
      },
    ),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return { unavailable: `portkey exited with code ${child.exitCode}` };
    try {
      if ((await fetch(`${url}/`)).ok) return { url, pid: child.pid, info: {}, stop: () => stop(child) };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop(child);
  return { unavailable: `portkey did not answer on ${url} within ${timeoutMs} ms` };
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux); undefined elsewhere.
 * CPU per request is the figure that stays meaningful on a machine shared with other work.
 */
export function cpuTimeMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 14 and 15 of stat (utime, stime), counted after the command name: indexes 11 and 12.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond;
  } catch {
    return undefined;
  }
}

/** USER_HZ is 100 on every mainstream Linux build. */
const clockTicksPerSecond = 100;

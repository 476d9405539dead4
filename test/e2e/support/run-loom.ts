/**
 * Runs the real `loom` binary as a child process, the way a user's shell does, and collects what it
 * printed. The child gets only the environment the test gives it (plus PATH).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const loomBin = fileURLToPath(new URL('../../../src/cli/loom.js', import.meta.url));

export interface LoomProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process exited (code, or null and the signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves once stdout+stderr match `pattern`; rejects after `timeoutMs`. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<void>;
}

export function startLoom(
  args: string[],
  env: Record<string, string | undefined>,
  options: { cwd?: string; detached?: boolean } = {},
): LoomProcess {
  const child = spawn(process.execPath, [loomBin, ...args], {
    env: { PATH: process.env.PATH, ...env },
    cwd: options.cwd,
    detached: options.detached ?? false,
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  const notify = (): void => waiters.splice(0).forEach((wake) => wake());
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    notify();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    notify();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal })),
  );
  const waitFor = async (
    pattern: RegExp,
    stream?: 'stdout' | 'stderr',
    timeoutMs = 20_000,
  ): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    const text = (): string =>
      stream === 'stdout' ? stdout : stream === 'stderr' ? stderr : stdout + stderr;
    while (!pattern.test(text())) {
      if (Date.now() > deadline || child.exitCode !== null) {
        throw new Error(
          `timed out waiting for ${pattern}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
        );
      }
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return { child, stdout: () => stdout, stderr: () => stderr, exited, waitFor };
}

/** Runs `loom` to its end (killed after `timeoutMs`, so a hang fails with the output so far). */
export async function runLoom(
  args: string[],
  env: Record<string, string | undefined>,
  options: { input?: string; cwd?: string; timeoutMs?: number } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const loom = startLoom(args, env, options);
  loom.child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => loom.child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const { code } = await loom.exited;
  clearTimeout(timer);
  return { code, stdout: loom.stdout(), stderr: loom.stderr() };
}

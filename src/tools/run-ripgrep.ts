/**
 * Runs the ripgrep binary shipped by @vscode/ripgrep and collects its output line by line, stopping
 * early (and killing rg) once enough lines were seen, so a huge result never sits in memory.
 */
import { spawn } from 'node:child_process';
import { rgPath } from '@vscode/ripgrep';
import { LoomError } from '../errors/index.js';

/**
 * Flags every ripgrep call shares: no user config file, hidden files included (the model needs to
 * see `.github/` and dotfiles) but never `.git/` itself, and `.gitignore` honoured even when the
 * workspace is not a git repository. Symbolic links are not followed (no `--follow`), which keeps
 * listings and searches inside the workspace.
 */
export const commonRipgrepFlags = ['--no-config', '--hidden', '--glob=!.git/', '--no-require-git'];

export interface RipgrepRun {
  lines: string[];
  /** 0: found something, 1: found nothing, 2: error; undefined when rg was stopped early. */
  exitCode: number | undefined;
  stderr: string;
  /** True when `maxLines` was reached and rg was stopped. */
  stoppedEarly: boolean;
}

export interface RunRipgrepOptions {
  args: string[];
  cwd: string;
  signal: AbortSignal;
  maxLines: number;
}

/** Runs `rg` with `args` in `cwd`. Rejects only when rg cannot start or the call was aborted. */
export function runRipgrep(options: RunRipgrepOptions): Promise<RipgrepRun> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(new LoomError('cancelled', 'The tool call was cancelled.'));
      return;
    }
    const child = spawn(rgPath, options.args, {
      cwd: options.cwd,
      env: {},
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let partial = '';
    let stderr = '';
    let stoppedEarly = false;
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stoppedEarly) return;
      const parts = (partial + chunk).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        if (lines.length >= options.maxLines) {
          stoppedEarly = true;
          child.kill('SIGKILL');
          return;
        }
      }
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < 10_000) stderr += chunk;
    });
    child.on('error', (error) => {
      options.signal.removeEventListener('abort', onAbort);
      reject(new LoomError('tool_failed', `ripgrep could not start: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      options.signal.removeEventListener('abort', onAbort);
      if (options.signal.aborted) {
        reject(new LoomError('cancelled', 'The tool call was cancelled.'));
        return;
      }
      if (!stoppedEarly && partial !== '') lines.push(partial);
      resolve({ lines, exitCode: stoppedEarly ? undefined : (code ?? undefined), stderr, stoppedEarly });
    });
  });
}

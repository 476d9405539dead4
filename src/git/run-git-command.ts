/**
 * Runs git for the worker's mirror with an environment built from scratch: no host configuration
 * (global or system), no credential helper, no prompt. Secrets reach git only through the `env` the
 * caller passes (see `gitAuthEnvironment`), never through arguments, which other users of the host
 * can read in the process list.
 */
import { spawn } from 'node:child_process';
import { LoomError } from '../errors/index.js';
import { defaultToolEnvironment } from '../tools/tool-environment.js';

export interface GitCommandOptions {
  cwd: string;
  /** Extra variables (auth headers, author identity). */
  env?: Record<string, string>;
  /** Written to git's stdin. */
  input?: Buffer | string;
  signal?: AbortSignal;
  /** Kill git after this long (default 10 minutes: a first fetch of a large repository is slow). */
  timeoutMs?: number;
  /** Return a non-zero exit instead of throwing (for questions like "does this ref exist?"). */
  allowFailure?: boolean;
  /** Strings to blank out of error messages (a token, should git ever echo one). */
  redact?: string[];
}

export interface GitCommandResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const defaultTimeoutMs = 10 * 60_000;

/** The environment every mirror command starts from. */
export function gitBaseEnvironment(): Record<string, string> {
  return defaultToolEnvironment({
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ASKPASS: '/bin/false',
    GIT_TERMINAL_PROMPT: '0',
  });
}

function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret !== '') result = result.split(secret).join('[redacted]');
  return result;
}

export function runGitCommand(args: string[], options: GitCommandOptions): Promise<GitCommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: options.cwd,
      env: { ...gitBaseEnvironment(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? defaultTimeoutMs);
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    const secrets = options.redact ?? [];
    child.on('error', (error) => {
      clearTimeout(timer);
      const code = options.signal?.aborted ? 'cancelled' : 'dependency_unavailable';
      reject(new LoomError(code, `git ${args[0] ?? ''} could not run: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const result: GitCommandResult = {
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: redactText(Buffer.concat(stderr).toString('utf8'), secrets),
        exitCode: code ?? 128,
      };
      if (code === 0 || (options.allowFailure && signal === null)) return resolve(result);
      const why = signal === null ? result.stderr.trim() : `killed by ${signal}`;
      reject(
        new LoomError('upstream_unavailable', `git ${args[0] ?? ''} failed: ${why}`.slice(0, 2000), {
          details: { command: args[0], exitCode: code, signal },
        }),
      );
    });
  });
}

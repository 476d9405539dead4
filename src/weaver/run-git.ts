/** Runs git with a clean environment (never the host's) and turns failures into LoomErrors. */
import { execFile } from 'node:child_process';
import { LoomError } from '../errors/index.js';
import { defaultToolEnvironment } from '../tools/tool-environment.js';

export interface GitRun {
  stdout: string;
  exitCode: number;
}

/**
 * Runs `git args...` in `cwd`. With `allowFailure`, a non-zero exit is returned, not thrown (for
 * questions like "is this set?").
 */
export function runGit(
  cwd: string,
  args: string[],
  options: { allowFailure?: boolean } = {},
): Promise<GitRun> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env: defaultToolEnvironment(), maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error === null) {
          resolve({ stdout, exitCode: 0 });
          return;
        }
        const exitCode = typeof error.code === 'number' ? error.code : undefined;
        if (options.allowFailure && exitCode !== undefined) {
          resolve({ stdout, exitCode });
          return;
        }
        reject(
          new LoomError('tool_failed', `git ${args[0] ?? ''} failed: ${stderr.trim() || error.message}`, {
            cause: error,
            details: { args: args.slice(0, 3), exitCode },
          }),
        );
      },
    );
  });
}

/**
 * `bash`: runs a shell command in the workspace (DESIGN §4). The command gets its own process group,
 * so a timeout or a cancel kills everything it started; a timeout is reported, never thrown.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { z } from 'zod';
import { HeadTailBuffer } from './cap-output.js';
import { defaultToolEnvironment } from './tool-environment.js';
import { errorResult } from './tool-results.js';
import type { Tool, ToolContext, ToolResult } from './tool-types.js';

export const bashDefaultTimeoutSecs = 60;
export const bashMaxTimeoutSecs = 600;

const bashInput = z.object({
  command: z.string().min(1).describe('The bash command to run in the workspace directory.'),
  timeout_secs: z
    .number()
    .int()
    .min(1)
    .max(bashMaxTimeoutSecs)
    .optional()
    .describe(
      `Seconds before the command is killed. Default ${bashDefaultTimeoutSecs}, max ${bashMaxTimeoutSecs}.`,
    ),
});

export type BashInput = z.infer<typeof bashInput>;

export interface BashToolOptions {
  /** The complete environment of commands. Default: `defaultToolEnvironment()`. */
  env?: Record<string, string>;
  /** Cap on the output the model sees, in characters. */
  maxOutputChars?: number;
}

type Ending =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

function describeEnding(ending: Ending, timeoutSecs: number): { footer: string; exitCode?: number } {
  if (ending.kind === 'timeout') {
    return { footer: `[timed out after ${timeoutSecs} s; the command and its children were killed]` };
  }
  if (ending.kind === 'cancelled') return { footer: '[cancelled; the command and its children were killed]' };
  if (ending.signal !== null) {
    return {
      footer: `[terminated by ${ending.signal}]`,
      exitCode: 128 + (constants.signals[ending.signal] ?? 0),
    };
  }
  const code = ending.code ?? 0;
  return { footer: code === 0 ? '' : `[exit code ${code}]`, exitCode: code };
}

function runBash(input: BashInput, context: ToolContext, options: BashToolOptions): Promise<ToolResult> {
  const timeoutSecs = input.timeout_secs ?? bashDefaultTimeoutSecs;
  const output = new HeadTailBuffer(options.maxOutputChars);
  return new Promise((resolve) => {
    // The outer shell sends its stderr into stdout before running the command, so both streams
    // reach us through one pipe in the order they were written.
    const child = spawn('bash', ['-c', 'exec 2>&1; exec bash -c "$1"', 'bash', input.command], {
      cwd: context.workspace,
      env: options.env ?? defaultToolEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let ending: Ending | undefined;
    const finish = (next: Ending): void => {
      ending ??= next;
    };
    const timer = setTimeout(() => {
      finish({ kind: 'timeout' });
      killGroup(child.pid);
    }, timeoutSecs * 1000);
    const onAbort = (): void => {
      finish({ kind: 'cancelled' });
      killGroup(child.pid);
    };
    if (context.signal.aborted) onAbort();
    else context.signal.addEventListener('abort', onAbort, { once: true });
    const onData = (chunk: string): void => {
      output.append(chunk);
      context.onProgress?.(chunk);
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    child.on('error', (error) => {
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
      resolve(errorResult(`bash could not start: ${error.message}`, { command: input.command }));
    });
    child.on('exit', (code, signal) => {
      finish({ kind: 'exited', code, signal });
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
      // Background jobs may keep the pipe open; give the output a moment to drain, then answer.
      const drain = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 250);
      child.on('close', () => {
        clearTimeout(drain);
        resolve(toResult(ending ?? { kind: 'exited', code, signal }, output, input, timeoutSecs));
      });
    });
  });
}

function toResult(ending: Ending, output: HeadTailBuffer, input: BashInput, timeoutSecs: number): ToolResult {
  const { footer, exitCode } = describeEnding(ending, timeoutSecs);
  const captured = output.result();
  const body = captured.text === '' && footer === '' ? '(no output)' : captured.text;
  const text = footer === '' ? body : `${body}${body.endsWith('\n') || body === '' ? '' : '\n'}${footer}`;
  const timedOut = ending.kind === 'timeout';
  return {
    output: text,
    isError: ending.kind !== 'exited' || exitCode !== 0,
    metadata: {
      command: input.command,
      ...(exitCode === undefined ? {} : { exitCode }),
      timedOut,
      ...(captured.truncated ? { truncated: true } : {}),
    },
  };
}

/** Builds the `bash` tool with an explicit environment. */
export function createBashTool(options: BashToolOptions = {}): Tool<BashInput> {
  return {
    name: 'bash',
    description:
      'Run a bash command in the workspace directory (stdin is empty; stdout and stderr are merged). ' +
      `Output is capped (head and tail kept). Killed after timeout_secs (default ${bashDefaultTimeoutSecs}). ` +
      'Background processes keep running after the command returns.',
    inputSchema: bashInput,
    readOnly: false,
    execute: (input, context) => runBash(input, context, options),
  };
}

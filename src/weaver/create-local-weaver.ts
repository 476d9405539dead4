/**
 * The local weaver backend: runs `loom weaver-agent` as a child process, inside bubblewrap when it
 * works here (see `buildBwrapArguments` for what the sandbox shows), else as a plain child process
 * with the same clean environment and a warning. A crashed agent fails its in-flight calls as error
 * results and is reported in the log.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LoomError } from '../errors/index.js';
import type { Logger } from '../logging/index.js';
import { buildBwrapArguments } from './bwrap-arguments.js';
import { createStreamWeaver } from './create-stream-weaver.js';
import { findBwrap } from './find-bwrap.js';
import { gatherSandboxLayout } from './gather-sandbox-layout.js';
import { createWeaverConnection } from './weaver-connection.js';
import { weaverEnvironment } from './weaver-environment.js';
import type { Weaver } from './weaver-types.js';

/** Per-call default: above bash's 600 s maximum, so bash reports its own timeout first. */
export const defaultCallTimeoutMs = 660_000;
const defaultStartTimeoutMs = 60_000;
const stderrTailLines = 20;

export interface LocalWeaverOptions {
  /** Host directory the agent works in; the only writable place it sees. */
  workspaceDir: string;
  /** `auto`: bubblewrap when it works, else unsandboxed with a warning. `off`: unsandboxed. */
  sandbox: 'auto' | 'off';
  callTimeoutMs?: number;
  /** How long the agent may take to start and answer `hello`. */
  startTimeoutMs?: number;
  /** Loom's data directory, hidden inside the sandbox should it lie in a mounted tree. */
  dataDir?: string;
  logger: Logger;
}

/** The Loom install this module belongs to (it runs the agent from the same code). */
export const loomRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The agent gets its own process group, so a Ctrl-C in the terminal (sent to the whole foreground
 * group) reaches only the CLI, which cancels the turn; the weaver lives on for the next one. It still
 * ends with us: bwrap has --die-with-parent, and the agent stops when its stdin closes.
 */
const outsideTerminalSignals = true;

async function spawnAgent(
  options: LocalWeaverOptions,
): Promise<{ child: ChildProcessWithoutNullStreams; sandboxed: boolean }> {
  const workspaceDir = await realpath(options.workspaceDir);
  if (options.sandbox === 'auto') {
    const bwrap = await findBwrap();
    if (bwrap.available) {
      const layout = await gatherSandboxLayout({ loomRoot, workspaceDir, dataDir: options.dataDir });
      // bwrap itself gets the clean environment too: it stays PID 1 of the sandbox, and its
      // /proc/1/environ is readable from inside.
      const child = spawn(bwrap.path, buildBwrapArguments(layout), {
        env: layout.environment,
        stdio: 'pipe',
        detached: outsideTerminalSignals,
      });
      return { child, sandboxed: true };
    }
    options.logger.warn({ reason: bwrap.reason }, 'weaver runs WITHOUT a sandbox: bubblewrap is unavailable');
  } else {
    options.logger.warn('weaver runs WITHOUT a sandbox (LOOM_SANDBOX=off or --no-sandbox)');
  }
  const loomBin = path.join(loomRoot, 'src', 'cli', 'loom.js');
  const child = spawn(process.execPath, [loomBin, 'weaver-agent', '--workspace', workspaceDir], {
    cwd: workspaceDir,
    env: weaverEnvironment(os.tmpdir()),
    stdio: 'pipe',
    detached: outsideTerminalSignals,
  });
  return { child, sandboxed: false };
}

function keepStderrTail(child: ChildProcessWithoutNullStreams, logger: Logger): string[] {
  const tail: string[] = [];
  let partial = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      logger.debug({ agent: line }, 'weaver agent stderr');
      tail.push(line);
      if (tail.length > stderrTailLines) tail.shift();
    }
  });
  return tail;
}

/** Starts a local weaver on `workspaceDir`; resolves once the agent answered the handshake. */
export async function createLocalWeaver(
  options: LocalWeaverOptions,
): Promise<Weaver & { readonly sandboxed: boolean }> {
  const { child, sandboxed } = await spawnAgent(options);
  const logger = options.logger.child({ component: 'weaver', pid: child.pid, sandboxed });
  const stderrTail = keepStderrTail(child, logger);
  let stopping = false;
  const exitError = new Promise<LoomError>((resolve) => {
    child.on('exit', (code, signal) => {
      if (!stopping)
        logger.error({ exitCode: code, signal, stderr: stderrTail.join('\n') }, 'weaver agent crashed');
      const message = `The weaver agent stopped (exit code ${code}, signal ${signal}).`;
      resolve(new LoomError('dependency_unavailable', message, { details: { exitCode: code, signal } }));
    });
    child.on('error', (error) => {
      logger.error({ err: error }, 'weaver agent could not start');
      resolve(new LoomError('dependency_unavailable', `The weaver agent could not start: ${error.message}`));
    });
  });
  // The agent's stdout ends just before the exit is known; failing pending calls waits for the exit
  // code so the model and the log learn what happened.
  const connection = createWeaverConnection(child.stdout, child.stdin, logger, {
    explainClose: () => exitError,
  });
  const exited = exitError.then((error) => connection.fail(error));
  const stop = async (): Promise<void> => {
    stopping = true;
    child.stdin.end();
    const killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killTimer);
  };
  try {
    const weaver = await createStreamWeaver({
      connection,
      callTimeoutMs: options.callTimeoutMs ?? defaultCallTimeoutMs,
      startTimeoutMs: options.startTimeoutMs ?? defaultStartTimeoutMs,
      logger,
      stop,
    });
    return Object.assign(weaver, { sandboxed });
  } catch (error) {
    await stop();
    throw new LoomError(
      'dependency_unavailable',
      `The weaver agent did not start: ${stderrTail.join('\n') || String(error)}`,
      {
        cause: error,
      },
    );
  }
}

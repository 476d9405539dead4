/** Runs `fixtures/echo-worker-process.ts` as a real child process and follows its JSON events. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

const fixture = fileURLToPath(new URL('../fixtures/echo-worker-process.ts', import.meta.url));

export interface WorkerProcessOptions {
  redisUrl: string;
  queueName: string;
  connectionName: string;
  dataDir: string;
  lockDuration?: number;
  stalledInterval?: number;
  shutdownTimeoutMs?: number;
}

export type WorkerEvent = Record<string, unknown> & { event: string };

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly events: WorkerEvent[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForEvent(match: (event: WorkerEvent) => boolean, timeoutMs?: number): Promise<WorkerEvent>;
  stderr(): string;
  /** SIGKILLs the child if it still runs. */
  destroy(): Promise<void>;
}

export function startWorkerProcess(options: WorkerProcessOptions): WorkerProcess {
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    LOOM_TEST_REDIS_URL: options.redisUrl,
    LOOM_TEST_QUEUE_NAME: options.queueName,
    LOOM_TEST_CONNECTION_NAME: options.connectionName,
    LOOM_TEST_DATA_DIR: options.dataDir,
    LOOM_TEST_LOCK_DURATION: options.lockDuration?.toString() ?? '',
    LOOM_TEST_STALLED_INTERVAL: options.stalledInterval?.toString() ?? '',
    LOOM_TEST_SHUTDOWN_TIMEOUT_MS: options.shutdownTimeoutMs?.toString() ?? '',
  };
  const child = spawn(process.execPath, ['--import', 'tsx', fixture], {
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: WorkerEvent[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      events.push(JSON.parse(line) as WorkerEvent);
    } catch {
      stderr += `${line}\n`;
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return {
    child,
    events,
    exited,
    waitForEvent: (match, timeoutMs = 20_000) =>
      waitFor(() => events.find(match), { timeoutMs, what: `worker event (stderr: ${stderr.slice(-500)})` }),
    stderr: () => stderr,
    destroy: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

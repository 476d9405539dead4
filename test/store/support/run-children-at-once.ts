import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const childScript = fileURLToPath(new URL('./record-deliveries-child.ts', import.meta.url));

export interface ChildOutcome {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts one child process per options object (record-deliveries-child.ts through tsx), waits until
 * every child is ready, then tells them all to go at once, and collects their output.
 */
export async function runChildrenAtOnce(optionsPerChild: object[]): Promise<ChildOutcome[]> {
  const children = optionsPerChild.map((options) =>
    spawn(process.execPath, ['--import', 'tsx', childScript, JSON.stringify(options)], {
      cwd: repositoryRoot,
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  );
  const outcomes = children.map(collect);
  await Promise.all(children.map(waitForReady));
  for (const child of children) child.stdin?.write('go\n');
  return Promise.all(outcomes);
}

function waitForReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('ready\n')) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited (${String(code)}) before it was ready`)));
  });
}

function collect(child: ChildProcess): Promise<ChildOutcome> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

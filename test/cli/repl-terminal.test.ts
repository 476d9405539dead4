/**
 * The REPL on a real terminal: run under `script` (util-linux), which gives it a pseudo-terminal, so
 * readline runs in raw mode, Ctrl-C arrives as a keystroke and progress is a spinner. Checks that the
 * spinner never tears a streamed answer apart and that Ctrl-C cancels the turn, not the REPL.
 */
import { execFileSync, spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuggyRepository } from '../e2e/support/buggy-repository.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../e2e/support/fake-anthropic-server.js';
import { createLoomTestEnvironment, type LoomTestEnvironment } from '../e2e/support/loom-test-environment.js';
import { toolSteps, userTexts } from '../e2e/support/messages-transcript.js';
import { loomBin } from '../e2e/support/run-loom.js';

const hasScript = ((): boolean => {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const escape = String.fromCharCode(27);
const spinnerLine = new RegExp(
  `\\r${escape}\\[2K(${escape}\\[\\d+m)?[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏](${escape}\\[\\d+m)? [^\\r\\n]*`,
  'g',
);
const lineClear = new RegExp(`\\r${escape}\\[2K`, 'g');

/** Spinner frames and line clears removed: what stays on the screen. */
function screen(output: string): string {
  return output.replace(spinnerLine, '').replace(lineClear, '');
}

describe.skipIf(!hasScript)('the REPL on a terminal', () => {
  let repository: string;
  let home: LoomTestEnvironment;
  let server: FakeAnthropicServer;

  beforeAll(async () => {
    repository = await createBuggyRepository();
    home = await createLoomTestEnvironment();
    server = await startFakeAnthropicServer((body) => {
      const last = userTexts(body).at(-1);
      if (last === 'wait' && toolSteps(body).length === 0) {
        return {
          kind: 'message',
          content: [{ type: 'tool_use', name: 'bash', input: { command: 'sleep 30' } }],
        };
      }
      const text = `Answer to ${last}: streamed slowly, word by word.`;
      return { kind: 'message', content: [{ type: 'text', text }], delayMs: 100 };
    });
  });

  afterAll(async () => {
    await server.close();
    await home.cleanup();
    await rm(repository, { recursive: true, force: true });
  });

  it('keeps streamed answers whole under the spinner, and Ctrl-C cancels only the turn', async () => {
    const { NO_COLOR: _noColor, ...env } = home.env;
    const command = `'${process.execPath}' '${loomBin}' --workspace '${repository}'`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: {
        PATH: process.env.PATH,
        TERM: 'xterm-256color',
        ...env,
        ANTHROPIC_API_KEY: 'sk-ant-tty-test-key',
        ANTHROPIC_BASE_URL: server.url,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    const waitFor = async (pattern: RegExp, onScreen = true): Promise<void> => {
      const deadline = Date.now() + 60_000;
      while (!pattern.test(onScreen ? screen(output) : output)) {
        if (Date.now() > deadline) throw new Error(`no ${pattern} in:\n${screen(output).slice(-1500)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await waitFor(/› /);
    child.stdin.write('hello\r');
    await waitFor(/Answer to hello: streamed slowly, word by word\.\r\nloom: done[^\n]*\n[^\n]*saved as/);
    child.stdin.write('wait\r');
    await waitFor(/turn 1 · bash: sleep 30/, false); // the spinner shows the running tool
    child.stdin.write('\x03');
    await waitFor(/cancelled: cancelled by the caller/);
    child.stdin.write('again\r');
    await waitFor(/Answer to again: streamed slowly, word by word\./);
    child.stdin.write('/exit\r');
    expect(await exited).toBe(0);
    expect(output).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(output).not.toContain('crashed');
  }, 120_000);
});

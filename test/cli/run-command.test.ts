/**
 * `loom run` as a real child process: how it fails, how it is cancelled, the unsandboxed mode and its
 * warning, the limits, the model choice, and the Loom proxy route. (The whole "fix a failing test"
 * story is test/e2e/loom-run-fixes-a-bug.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuggyRepository } from '../e2e/support/buggy-repository.js';
import {
  startFakeAnthropicServer,
  type DecideReply,
  type FakeAnthropicServer,
} from '../e2e/support/fake-anthropic-server.js';
import { createLoomTestEnvironment, type LoomTestEnvironment } from '../e2e/support/loom-test-environment.js';
import { toolSteps } from '../e2e/support/messages-transcript.js';
import { runLoom, startLoom } from '../e2e/support/run-loom.js';
import type { MemoryUsageLedger } from '../../src/proxy/index.js';
import { anthropicKey, startFakeProvider } from '../proxy/support/fake-provider.js';
import { startProxy } from '../proxy/support/start-proxy.js';
import { waitFor } from '../queue/support/wait-for.js';

describe('loom run', () => {
  const apiKey = `sk-ant-cli-${randomUUID()}`;
  let repository: string;
  let home: LoomTestEnvironment;
  let server: FakeAnthropicServer | undefined;

  // Each test starts a real `loom` process (tsx, a weaver in bubblewrap): seconds on a busy machine.
  beforeEach(async () => {
    repository = await createBuggyRepository();
    home = await createLoomTestEnvironment();
  });

  afterEach(async () => {
    await server?.close();
    server = undefined;
    await home.cleanup();
    await rm(repository, { recursive: true, force: true });
  });

  const withServer = async (decide: DecideReply): Promise<Record<string, string>> => {
    server = await startFakeAnthropicServer(decide);
    return { ...home.env, ANTHROPIC_API_KEY: apiKey, ANTHROPIC_BASE_URL: server.url };
  };

  it('exits 1 without retrying when the model refuses for good (401), using the --model given', async () => {
    const env = await withServer(() => ({
      kind: 'error',
      status: 401,
      type: 'authentication_error',
      message: 'invalid x-api-key',
    }));
    const run = await runLoom(
      ['run', '--workspace', repository, '--model', 'anthropic/claude-haiku-4-5', 'fix the test'],
      { ...env, LOOM_MODEL: 'anthropic/claude-opus-4-1' },
    );
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/failed: .*401/);
    expect(server?.requests).toHaveLength(1);
    expect(server?.requests[0]?.body.model).toBe('claude-haiku-4-5');
  }, 90_000);

  it('warns with --no-sandbox and still cuts its own API key out of what tools show the model', async () => {
    // Unsandboxed, bash can read the environment of the loom process itself (its grandparent).
    const probe = "tr '\\0' '\\n' < /proc/$(awk '{print $4}' /proc/$PPID/stat)/environ";
    const env = await withServer((body) =>
      toolSteps(body).length === 0
        ? { kind: 'message', content: [{ type: 'tool_use', name: 'bash', input: { command: probe } }] }
        : { kind: 'message', content: [{ type: 'text', text: 'Looked around.' }] },
    );
    const run = await runLoom(['run', '--no-sandbox', '--workspace', repository, 'look around'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: weaver runs WITHOUT a sandbox/);
    expect(run.stderr).toContain('NOT sandboxed');
    expect(run.stdout.trim()).toBe('Looked around.');
    const output = toolSteps(server!.requests.at(-1)!.body)[0]?.result?.text ?? '';
    expect(output).toContain('ANTHROPIC_API_KEY=[redacted]');
    for (const request of server!.requests) expect(request.rawBody).not.toContain(apiKey);
  }, 90_000);

  it('cancels on Ctrl-C sent to its process group (as a terminal does), prints the status and exits 130', async () => {
    const env = await withServer(() => ({
      kind: 'message',
      content: [{ type: 'tool_use', name: 'bash', input: { command: 'sleep 30' } }],
    }));
    const loom = startLoom(['run', '--workspace', repository, 'wait a while'], env, { detached: true });
    loom.child.stdin.end();
    await loom.waitFor(/bash: sleep 30/, 'stderr', 60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(-loom.child.pid!, 'SIGINT');
    const { code } = await loom.exited;
    expect(code, loom.stderr()).toBe(130);
    expect(loom.stderr()).toMatch(/cancelled: .*\(1 turn/);
    expect(loom.stderr()).not.toContain('crashed');
  }, 90_000);

  it('stops at --max-turns with exit code 1 and says which limit stopped it', async () => {
    const env = await withServer(() => ({
      kind: 'message',
      content: [{ type: 'tool_use', name: 'list_files', input: {} }],
    }));
    const run = await runLoom(['run', '--workspace', repository, '--max-turns', '2', 'loop forever'], env);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/failed: .*turn/i);
    expect(server?.requests).toHaveLength(2);
  }, 90_000);

  it('prices a self-hosted model from LOOM_MODEL_PRICES for --max-cost-usd', async () => {
    const env = await withServer(() => ({
      kind: 'message',
      content: [{ type: 'tool_use', name: 'list_files', input: {} }],
    }));
    const args = ['run', '--workspace', repository, '--model', 'anthropic/local-coder', '--max-turns', '2'];
    // Unknown, it costs as much as the dearest model: 150 tokens already pass $0.001.
    const unpriced = await runLoom([...args, '--max-cost-usd', '0.001', 'look around'], env);
    expect(unpriced.code, unpriced.stderr).toBe(1);
    expect(unpriced.stderr).toMatch(/over-budget: cost budget reached: \$\d+\.\d{4} of \$0\.001 spent/);
    expect(server?.requests).toHaveLength(1);
    const pricesFile = `${home.env.HOME}/prices.json`;
    await writeFile(pricesFile, JSON.stringify({ 'local-coder': { input: 0, output: 0 } }));
    const priced = await runLoom([...args, '--max-cost-usd', '0.001', 'look around'], {
      ...env,
      LOOM_MODEL_PRICES: pricesFile,
    });
    // Free, it runs until the turn limit instead.
    expect(priced.stderr).toMatch(/failed: .*turn/i);
    expect(server?.requests).toHaveLength(3);
  }, 90_000);

  it('refuses to start without any model configured, naming what to set (exit 78)', async () => {
    const run = await runLoom(['run', '--workspace', repository, 'anything'], home.env);
    expect(run.code).toBe(78);
    expect(run.stderr).toMatch(/ANTHROPIC_API_KEY.*LOOM_MODEL.*--model/);
  }, 90_000);

  it('calls the model through a Loom server when LOOM_SERVER_URL and LOOM_TOKEN are set', async () => {
    // The real proxy (in this process) in front of a provider: the CLI holds only a Loom token.
    const provider = await startFakeProvider();
    const proxy = await startProxy({
      upstreamUrl: provider.url,
      deps: {
        prices: { 'claude-sonnet-4-6': { inputUsdPerMillionTokens: 1000, outputUsdPerMillionTokens: 2000 } },
      },
    });
    try {
      const token = proxy.mint({ subject: 'dana' });
      const run = await runLoom(['run', '--workspace', repository, 'hello'], {
        ...home.env,
        LOOM_SERVER_URL: proxy.url,
        LOOM_TOKEN: token,
      });
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.trim()).toBe('Hello from Anthropic');
      expect(run.stderr).toContain(`via ${proxy.url}`);
      expect(provider.requests).toHaveLength(1);
      // "default" was resolved by the server, which alone holds the key.
      expect(provider.requests[0]?.body).toMatchObject({ model: 'claude-sonnet-4-6' });
      expect(provider.requests[0]?.headers['x-api-key']).toBe(anthropicKey);
      expect(JSON.stringify(provider.requests[0]?.headers)).not.toContain(token);
      // The cost shown is what the server metered at its prices (12 in, 5 out), not a local guess.
      const metered = await waitFor(() => (proxy.usage as MemoryUsageLedger).events[0], {
        what: 'the metered call',
      });
      expect(metered).toMatchObject({ subject: 'dana', costUsd: 0.022 });
      expect(run.stderr).toContain('$0.0220');
    } finally {
      await proxy.close();
      await provider.close();
    }
  }, 90_000);
});

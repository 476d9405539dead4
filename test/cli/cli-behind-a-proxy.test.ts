/**
 * The CLI behind a company proxy: `loom run` with a provider key of its own, `loom run` through a
 * Loom server, `loom threads` and `loom chores` all reach their hosts through HTTPS_PROXY / HTTP_PROXY. Each host
 * is named `*.test`, which only the loopback proxy resolves, so an answer proves the call went
 * through it. Unlike the services, the CLI does not keep LOOM_SERVER_URL direct: from a laptop the
 * server is a host like any other, and NO_PROXY is where to name it. The server is a real
 * `loom start` holding the provider key.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuggyRepository } from '../e2e/support/buggy-repository.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../e2e/support/fake-anthropic-server.js';
import { createLoomTestEnvironment, type LoomTestEnvironment } from '../e2e/support/loom-test-environment.js';
import { startLoomService, type LoomService } from '../e2e/support/loom-service.js';
import { runLoom } from '../e2e/support/run-loom.js';
import { startFakeConnectProxy, type FakeConnectProxy } from '../proxy/support/fake-connect-proxy.js';
import { anthropicKey, startFakeProvider, type FakeProvider } from '../proxy/support/fake-provider.js';

describe('the CLI behind a company proxy', () => {
  let repository: string;
  let home: LoomTestEnvironment;
  let proxy: FakeConnectProxy;
  let provider: FakeAnthropicServer | undefined;
  let serverProvider: FakeProvider | undefined;
  let loomServer: LoomService | undefined;

  beforeEach(async () => {
    repository = await createBuggyRepository();
    home = await createLoomTestEnvironment();
    proxy = await startFakeConnectProxy({ hosts: { 'model.test': '127.0.0.1', 'loom.test': '127.0.0.1' } });
  });
  afterEach(async () => {
    await provider?.close();
    provider = undefined;
    await loomServer?.stop();
    loomServer = undefined;
    await serverProvider?.close();
    serverProvider = undefined;
    await proxy.close();
    await home.cleanup();
    await rm(repository, { recursive: true, force: true });
  });

  it('calls the provider with its own key through the proxy', async () => {
    provider = await startFakeAnthropicServer(() => ({
      kind: 'error',
      status: 401,
      type: 'authentication_error',
      message: 'invalid x-api-key',
    }));
    const modelHost = `model.test:${new URL(provider.url).port}`;
    const run = await runLoom(['run', '--workspace', repository, 'fix the test'], {
      ...home.env,
      ANTHROPIC_API_KEY: `sk-ant-cli-${randomUUID()}`,
      ANTHROPIC_BASE_URL: `http://${modelHost}`,
      HTTPS_PROXY: proxy.url,
      HTTP_PROXY: proxy.url,
    });
    // The provider answered (its 401 is the outcome), so the call got there.
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/failed: .*401/);
    expect(provider.requests).toHaveLength(1);
    expect(proxy.connects.map((connect) => connect.target)).toEqual([modelHost]);
  }, 90_000);

  it('reaches a Loom server through the proxy for `loom run`, `loom threads` and `loom chores`', async () => {
    // A real `loom start`, holding the provider key; the CLI knows it only as loom.test.
    serverProvider = await startFakeProvider();
    loomServer = await startLoomService({
      ANTHROPIC_API_KEY: anthropicKey,
      ANTHROPIC_BASE_URL: serverProvider.url,
    });
    const serverHost = `loom.test:${new URL(loomServer.url).port}`;
    const env = {
      ...home.env,
      LOOM_SERVER_URL: `http://${serverHost}`,
      LOOM_TOKEN: await loomServer.adminToken(),
      HTTP_PROXY: proxy.url,
    };
    const run = await runLoom(['run', '--workspace', repository, 'hello'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('Hello from Anthropic');
    // The model call went through the server, which added its own key.
    expect(serverProvider.requests).toHaveLength(1);
    expect(serverProvider.requests[0]?.headers['x-api-key']).toBe(anthropicKey);
    const threads = await runLoom(['threads', 'list', '--json'], env);
    expect(threads.code, threads.stderr).toBe(0);
    expect(JSON.parse(threads.stdout)).toEqual({ threads: [] });
    const chores = await runLoom(['chores', 'list'], env);
    expect(chores.code, chores.stderr).toBe(0);
    const through = proxy.connects.map((connect) => connect.target);
    expect(new Set(through)).toEqual(new Set([serverHost]));
    expect(through.length).toBeGreaterThanOrEqual(3);

    // Named in NO_PROXY, the server is reached directly: loom.test then resolves nowhere.
    const direct = await runLoom(['threads', 'list', '--json'], { ...env, NO_PROXY: 'loom.test' });
    expect(direct.code).not.toBe(0);
    expect(direct.stderr).toMatch(/cannot reach|loom\.test/i);
    expect(proxy.connects).toHaveLength(through.length);
  }, 90_000);
});

/**
 * The CLI behind a company proxy: `loom run` with a provider key of its own, `loom run` through a
 * Loom server, `loom threads` and `loom chores` all reach their hosts through HTTPS_PROXY / HTTP_PROXY. Each host
 * is named `*.test`, which only the loopback proxy resolves, so an answer proves the call went
 * through it. Unlike the services, the CLI does not keep LOOM_SERVER_URL direct: from a laptop the
 * server is a host like any other, and NO_PROXY is where to name it.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBuggyRepository } from '../e2e/support/buggy-repository.js';
import { startFakeAnthropicServer, type FakeAnthropicServer } from '../e2e/support/fake-anthropic-server.js';
import { createLoomTestEnvironment, type LoomTestEnvironment } from '../e2e/support/loom-test-environment.js';
import { runLoom } from '../e2e/support/run-loom.js';
import { startFakeConnectProxy, type FakeConnectProxy } from '../proxy/support/fake-connect-proxy.js';
import { normalizedTextAnswer } from './support/normalized-text-answer.js';

/** A Loom server's stand-in: `/proxy/anthropic/stream` answers one text, `/api/threads` and `/api/chores` empty lists. */
function startLoomServerStandIn(): Promise<{ server: Server; port: number; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    request.on('end', () => {
      if (request.url?.startsWith('/api/')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        return void response.end(JSON.stringify({ threads: [], chores: [] }));
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.end(normalizedTextAnswer('Answered from behind the proxy.'));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, paths }),
    ),
  );
}

describe('the CLI behind a company proxy', () => {
  let repository: string;
  let home: LoomTestEnvironment;
  let proxy: FakeConnectProxy;
  let provider: FakeAnthropicServer | undefined;
  let loomServer: Server | undefined;

  beforeEach(async () => {
    repository = await createBuggyRepository();
    home = await createLoomTestEnvironment();
    proxy = await startFakeConnectProxy({ hosts: { 'model.test': '127.0.0.1', 'loom.test': '127.0.0.1' } });
  });
  afterEach(async () => {
    await provider?.close();
    provider = undefined;
    loomServer?.closeAllConnections();
    await new Promise((resolve) =>
      loomServer === undefined ? resolve(undefined) : loomServer.close(resolve),
    );
    loomServer = undefined;
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
    const standIn = await startLoomServerStandIn();
    loomServer = standIn.server;
    const serverHost = `loom.test:${standIn.port}`;
    const env = {
      ...home.env,
      LOOM_SERVER_URL: `http://${serverHost}`,
      LOOM_TOKEN: 'loom-token-for-test',
      HTTP_PROXY: proxy.url,
    };
    const run = await runLoom(['run', '--workspace', repository, 'hello'], env);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('Answered from behind the proxy.');
    const threads = await runLoom(['threads', 'list', '--json'], env);
    expect(threads.code, threads.stderr).toBe(0);
    const chores = await runLoom(['chores', 'list'], env);
    expect(chores.code, chores.stderr).toBe(0);
    expect(standIn.paths.map((path) => path.split('?')[0])).toEqual([
      '/proxy/anthropic/stream',
      '/api/threads',
      '/api/chores',
    ]);
    expect(new Set(proxy.connects.map((connect) => connect.target))).toEqual(new Set([serverHost]));

    // Named in NO_PROXY, the server is reached directly: loom.test then resolves nowhere.
    const direct = await runLoom(['threads', 'list', '--json'], { ...env, NO_PROXY: 'loom.test' });
    expect(direct.code).not.toBe(0);
    expect(standIn.paths).toHaveLength(3);
  }, 90_000);
});

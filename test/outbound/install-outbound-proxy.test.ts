/**
 * HTTPS_PROXY / HTTP_PROXY for the rest of Loom's outbound calls: `loom start` installs the proxy as
 * the process's `fetch` dispatcher, so GitHub's API (Octokit) goes through it, while Loom's own
 * server stays direct. A loopback CONNECT proxy alone resolves `github.test`, so GitHub answering
 * proves the tunnel; `loom.test` (LOOM_PROXY_URL) resolves nowhere, so it fails without ever
 * reaching the proxy.
 */
import { execFile } from 'node:child_process';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeConnectProxy, type FakeConnectProxy } from '../proxy/support/fake-connect-proxy.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/calls-after-install.ts', import.meta.url));

describe('installOutboundProxy', () => {
  let github: Server;
  let githubPort: number;
  let proxy: FakeConnectProxy;
  const received: Array<{ path: string; headers: IncomingHttpHeaders }> = [];

  beforeAll(async () => {
    github = createServer((request, response) => {
      received.push({ path: request.url ?? '', headers: request.headers });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: 1, slug: 'loom-test', name: 'Loom test' }));
    });
    await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
    githubPort = (github.address() as AddressInfo).port;
    proxy = await startFakeConnectProxy({ hosts: { 'github.test': '127.0.0.1', 'loom.test': '127.0.0.1' } });
  });
  afterAll(async () => {
    await proxy.close();
    github.closeAllConnections();
    await new Promise((resolve) => github.close(resolve));
  });

  async function callsFromChild(env: NodeJS.ProcessEnv): Promise<Record<string, unknown>> {
    const environment: NodeJS.ProcessEnv = {
      ...process.env,
      LOOM_PROXY_URL: 'http://loom.test:3000',
      ...env,
    };
    for (const name of ['HTTPS_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'https_proxy', 'http_proxy', 'no_proxy'])
      if (env[name] === undefined) delete environment[name];
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', fixture, `http://github.test:${githubPort}`],
      { env: environment, timeout: 30_000 },
    );
    return JSON.parse(stdout.trim()) as Record<string, unknown>;
  }

  it("sends GitHub's API through the proxy and keeps Loom's own server direct", async () => {
    const result = await callsFromChild({ HTTP_PROXY: proxy.url });
    expect(result.installed).toBe(true);
    expect(result.github).toMatchObject({ slug: 'loom-test' });
    expect(received.at(-1)?.path).toBe('/app');
    expect(received.at(-1)?.headers.authorization).toMatch(/^bearer \S+\.\S+\.\S+$/i);
    expect(proxy.connects.map((connect) => connect.target)).toEqual([`github.test:${githubPort}`]);
    // loom.test is only resolvable by the proxy: reached directly, as it must be, the call fails.
    expect(result.ownServer).toEqual({ error: 'ENOTFOUND' });
  });

  it('changes nothing when no proxy is configured', async () => {
    const before = proxy.connects.length;
    const result = await callsFromChild({});
    expect(result.installed).toBe(false);
    // Direct, as before the proxy existed: github.test resolves nowhere.
    expect(JSON.stringify(result.github)).toMatch(/ENOTFOUND/);
    expect(proxy.connects).toHaveLength(before);
  });
});

/**
 * Providers are reached over HTTPS: the proxy's upstream client verifies the provider's certificate
 * against the CAs the process trusts (Node's bundle plus NODE_EXTRA_CA_CERTS, for a gateway behind a
 * private CA) and refuses one it cannot verify. A loopback HTTPS server with a certificate made by
 * `openssl` for this run stands in for the provider; each call runs in a child process, whose
 * trusted CAs are fixed when it starts.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate } from '../support/self-signed-certificate.js';
import { startFakeConnectProxy } from './support/fake-connect-proxy.js';

const run = promisify(execFile);
const fixture = fileURLToPath(new URL('./fixtures/upstream-fetch-once.ts', import.meta.url));

describe('the upstream client over HTTPS', () => {
  let dir: string;
  let server: Server;
  let url: string;
  const received: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-upstream-tls-'));
    const { key, cert } = await createSelfSignedCertificate(dir, ['provider.test']);
    server = createServer({ key, cert }, (request, response) => {
      received.push(request.headers);
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end('{"type":"message","content":[]}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://localhost:${(server.address() as AddressInfo).port}/v1/messages`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await rm(dir, { recursive: true, force: true });
  });

  async function callFromChild(
    extraEnv: NodeJS.ProcessEnv,
    target = url,
    proxyUrl?: string,
  ): Promise<Record<string, unknown>> {
    const environment = { ...process.env, ...extraEnv };
    delete environment.NODE_TLS_REJECT_UNAUTHORIZED;
    if (extraEnv.NODE_EXTRA_CA_CERTS === undefined) delete environment.NODE_EXTRA_CA_CERTS;
    const args = ['--import', 'tsx', fixture, target, ...(proxyUrl === undefined ? [] : [proxyUrl])];
    const { stdout } = await run(process.execPath, args, {
      env: environment,
      timeout: 30_000,
    });
    return JSON.parse(stdout.trim()) as Record<string, unknown>;
  }

  it('calls a provider whose certificate chains to a trusted CA, with the key in the request', async () => {
    const answer = await callFromChild({ NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') });
    expect(answer).toEqual({ status: 200, body: '{"type":"message","content":[]}' });
    expect(received.at(-1)?.['x-api-key']).toBe('server-key');
    expect(received.at(-1)?.host).toBe(new URL(url).host);
  });

  it('refuses a provider whose certificate it cannot verify, and sends it nothing', async () => {
    const before = received.length;
    const answer = await callFromChild({});
    expect(String(answer.error)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
    expect(received).toHaveLength(before);
  });

  it("reaches it through an outbound proxy's tunnel, verifying its certificate end to end", async () => {
    const proxy = await startFakeConnectProxy({ hosts: { 'provider.test': '127.0.0.1' } });
    try {
      const target = url.replace('localhost', 'provider.test');
      const trusted = await callFromChild({ NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') }, target, proxy.url);
      expect(trusted).toEqual({ status: 200, body: '{"type":"message","content":[]}' });
      expect(received.at(-1)?.['x-api-key']).toBe('server-key');
      expect(proxy.connects.map((connect) => connect.target)).toEqual([new URL(target).host]);
      // The proxy relays TLS it cannot read: an untrusted certificate is still refused.
      const before = received.length;
      const untrusted = await callFromChild({}, target, proxy.url);
      expect(String(untrusted.error)).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/);
      expect(received).toHaveLength(before);
    } finally {
      await proxy.close();
    }
  });
});

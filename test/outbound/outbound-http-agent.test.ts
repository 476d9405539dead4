/**
 * The node:http agent given to clients that ignore `fetch`'s dispatcher (Slack's). A loopback
 * CONNECT proxy alone resolves `slack.test`, so an answer from it proves the call went through the
 * proxy, and ENOTFOUND proves it went direct. The HTTPS server's certificate is made for this run:
 * trusted with `ca`, refused without, through the tunnel as on a direct call.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundProxyConfig } from '../../src/config/index.js';
import { createOutboundHttpAgent } from '../../src/outbound/index.js';
import { startFakeConnectProxy, type FakeConnectProxy } from '../proxy/support/fake-connect-proxy.js';
import {
  createSelfSignedCertificate,
  type SelfSignedCertificate,
} from '../support/self-signed-certificate.js';

type Outcome = { status: number; body: string; headers: IncomingHttpHeaders } | { error: string };

function get(url: string, options: https.RequestOptions): Promise<Outcome> {
  const request = url.startsWith('https:') ? https.request : http.request;
  return new Promise((resolve) => {
    request(url, { ...options, headers: { authorization: 'Bearer xoxb-secret' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body, headers: response.headers }),
      );
    })
      .on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }))
      .end();
  });
}

describe('createOutboundHttpAgent', () => {
  let dir: string;
  let certificate: SelfSignedCertificate;
  let secure: https.Server;
  let plain: http.Server;
  let proxy: FakeConnectProxy;
  let guardedProxy: FakeConnectProxy;
  const seen: Array<{ server: string; authorization: string | undefined }> = [];
  const urls = { secure: '', plain: '' };
  const agents: http.Agent[] = [];

  const agentFor = (config: OutboundProxyConfig): http.Agent => {
    const agent = createOutboundHttpAgent(config);
    if (agent === undefined) throw new Error('expected an agent');
    agents.push(agent);
    return agent;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'loom-outbound-agent-'));
    certificate = await createSelfSignedCertificate(dir, ['slack.test']);
    const answer = (server: string) => (request: http.IncomingMessage, response: http.ServerResponse) => {
      seen.push({ server, authorization: request.headers.authorization });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    secure = https.createServer({ key: certificate.key, cert: certificate.cert }, answer('secure'));
    plain = http.createServer(answer('plain'));
    for (const server of [secure, plain])
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    urls.secure = `https://slack.test:${(secure.address() as AddressInfo).port}/api/auth.test`;
    urls.plain = `http://slack.test:${(plain.address() as AddressInfo).port}/api/auth.test`;
    proxy = await startFakeConnectProxy({ hosts: { 'slack.test': '127.0.0.1' } });
    guardedProxy = await startFakeConnectProxy({
      hosts: { 'slack.test': '127.0.0.1' },
      credentials: 'loom:s3cret',
    });
  });
  afterAll(async () => {
    for (const agent of agents) agent.destroy();
    await Promise.all([proxy.close(), guardedProxy.close()]);
    for (const server of [secure, plain]) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('is undefined without a proxy, so the client keeps its default agent', () => {
    expect(createOutboundHttpAgent(undefined)).toBeUndefined();
  });

  it('tunnels https:// through HTTPS_PROXY and verifies the server end to end', async () => {
    const agent = agentFor({ httpsProxy: proxy.url, httpProxy: undefined, noProxy: undefined });
    const before = seen.length;
    expect(await get(urls.secure, { agent, ca: certificate.cert })).toMatchObject({
      status: 200,
      body: '{"ok":true}',
    });
    expect(seen.slice(before)).toEqual([{ server: 'secure', authorization: 'Bearer xoxb-secret' }]);
    expect(proxy.connects.at(-1)?.target).toBe(new URL(urls.secure).host);
    // The proxy relays TLS it cannot read: a certificate the client does not trust is still refused.
    expect(await get(urls.secure, { agent })).toEqual({ error: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    expect(seen).toHaveLength(before + 1);
  });

  it('tunnels https:// through HTTP_PROXY when no HTTPS proxy is set, as fetch does', async () => {
    const agent = agentFor({ httpsProxy: undefined, httpProxy: proxy.url, noProxy: undefined });
    const before = proxy.connects.length;
    expect(await get(urls.secure, { agent, ca: certificate.cert })).toMatchObject({ status: 200 });
    expect(proxy.connects.slice(before).map((connect) => connect.target)).toEqual([
      new URL(urls.secure).host,
    ]);
  });

  it('passes http:// to HTTP_PROXY in absolute form, and sends credentials as Proxy-Authorization', async () => {
    const url = new URL(guardedProxy.url);
    url.username = 'loom';
    url.password = 's3cret';
    const agent = agentFor({ httpsProxy: url.href, httpProxy: url.href, noProxy: undefined });
    const before = guardedProxy.forwarded.length;
    // Three in a row: the later ones reuse the kept-alive connection and must still be absolute-form.
    for (let call = 0; call < 3; call += 1)
      expect(await get(urls.plain, { agent })).toMatchObject({ status: 200 });
    expect(guardedProxy.forwarded.slice(before).map((request) => request.url)).toEqual([
      urls.plain,
      urls.plain,
      urls.plain,
    ]);
    expect(guardedProxy.forwarded.at(-1)).toMatchObject({
      url: urls.plain,
      headers: { 'proxy-authorization': `Basic ${Buffer.from('loom:s3cret').toString('base64')}` },
    });
    expect(await get(urls.secure, { agent, ca: certificate.cert })).toMatchObject({ status: 200 });
    expect(guardedProxy.connects.at(-1)?.headers['proxy-authorization']).toBe(
      `Basic ${Buffer.from('loom:s3cret').toString('base64')}`,
    );
  });

  it('goes direct to NO_PROXY hosts and to loopback', async () => {
    const agent = agentFor({
      httpsProxy: proxy.url,
      httpProxy: proxy.url,
      noProxy: 'other.test,.slack.test',
    });
    const connects = proxy.connects.length;
    const forwarded = proxy.forwarded.length;
    // slack.test resolves only inside the proxy: reached directly, as NO_PROXY asks, it is not found.
    expect(await get(urls.secure, { agent, ca: certificate.cert })).toEqual({ error: 'ENOTFOUND' });
    expect(await get(urls.plain, { agent })).toEqual({ error: 'ENOTFOUND' });
    const loopback = new URL(urls.plain);
    loopback.hostname = '127.0.0.1';
    expect(await get(loopback.href, { agent })).toMatchObject({ status: 200 });
    expect(proxy.connects).toHaveLength(connects);
    expect(proxy.forwarded).toHaveLength(forwarded);
  });
});

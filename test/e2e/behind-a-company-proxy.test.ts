/**
 * Loom where every call to the outside must go through the company's HTTP proxy (HTTPS_PROXY /
 * HTTP_PROXY with credentials): the real `loom start` as a child process, and a Slack mention that
 * ends as a PR and a final thread message. Slack's Web API, the GitHub host (API and git) and the
 * model provider are named `*.test`, names only the loopback proxy resolves, so the run finishing at
 * all proves that Slack's client, Octokit, the worker's git and the provider calls each went through
 * the proxy. The signed Slack events come in directly, as inbound traffic does.
 *
 * In Socket Mode Slack is HTTPS and WSS, as the real one is, with a certificate made for the run
 * that `loom start` trusts through NODE_EXTRA_CA_CERTS: both go through CONNECT tunnels, with TLS
 * end to end.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { WebSocket } from 'ws';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixFailingTestScript } from '../github/support/engineer-script.js';
import { failingProject } from '../github/support/github-worker-harness.js';
import { startScriptedAnthropicServer } from '../github/support/scripted-anthropic-server.js';
import { testAppId, testAppKeys } from '../github/support/worker-deps.js';
import { startFakeConnectProxy } from '../proxy/support/fake-connect-proxy.js';
import { anthropicKey } from '../proxy/support/fake-provider.js';
import { postSlack, signingSecret } from '../slack/support/signed-post.js';
import { appMention, botId, botUserId, eventOf, teamId } from '../slack/support/slack-events.js';
import { waitFor } from '../queue/support/wait-for.js';
import { createSelfSignedCertificate } from '../support/self-signed-certificate.js';
import { startGithubHost } from './support/github-host.js';
import { startLoomService } from './support/loom-service.js';
import { finalMessage, finishedAgentRuns } from './support/slack-run-outcome.js';
import { startSlackWebApiServer } from './support/slack-web-api-server.js';

const owner = 'acme';
const repo = 'calc';
const botToken = 'xoxb-proxied-bot-token';
const proxyPassword = 'proxy-pass-7f3a9c';
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** `http://127.0.0.1:PORT/...` renamed to `http://{name}:PORT/...`. */
function renamed(url: string, name: string): string {
  const renamedUrl = new URL(url);
  renamedUrl.hostname = name;
  return renamedUrl.href;
}

describe('Loom behind a company proxy', () => {
  it('answers a Slack mention with a PR, every outbound call going through the proxy', async () => {
    const keys = testAppKeys();
    const host = await startGithubHost({
      owner,
      repo,
      files: failingProject,
      appId: testAppId,
      appPublicKey: keys.publicKey,
    });
    cleanups.push(() => host.close());
    const model = await startScriptedAnthropicServer({
      apiKey: anthropicKey,
      script: fixFailingTestScript(),
    });
    cleanups.push(() => model.close());
    const slack = await startSlackWebApiServer({ teamId, botUserId, botId, botToken });
    cleanups.push(() => slack.close());
    const proxy = await startFakeConnectProxy({
      hosts: { 'github.test': '127.0.0.1', 'slack.test': '127.0.0.1', 'model.test': '127.0.0.1' },
      credentials: `loom:${proxyPassword}`,
    });
    cleanups.push(() => proxy.close());
    const proxyUrl = new URL(proxy.url);
    proxyUrl.username = 'loom';
    proxyUrl.password = proxyPassword;
    const keyDir = await mkdtemp(join(tmpdir(), 'loom-e2e-key-'));
    cleanups.push(() => rm(keyDir, { recursive: true, force: true }));
    const keyFile = join(keyDir, 'github-app.pem');
    await writeFile(keyFile, keys.privateKey, { mode: 0o600 });
    const githubHost = `github.test:${host.host.split(':')[1]}`;

    const loom = await startLoomService({
      APP_ID: String(testAppId),
      PRIVATE_KEY_PATH: keyFile,
      WEBHOOK_SECRET: 'e2e-webhook-secret-behind-proxy',
      GHE_HOST: githubHost,
      GHE_PROTOCOL: 'http',
      ANTHROPIC_API_KEY: anthropicKey,
      ANTHROPIC_BASE_URL: renamed(model.url, 'model.test'),
      SLACK_BOT_TOKEN: botToken,
      SLACK_SIGNING_SECRET: signingSecret,
      SLACK_API_URL: renamed(slack.apiUrl, 'slack.test'),
      HTTPS_PROXY: proxyUrl.href,
      HTTP_PROXY: proxyUrl.href,
    });
    cleanups.push(() => loom.stop());

    const body = appMention(`please fix the failing test in ${owner}/${repo}`);
    const ts = eventOf(body).ts ?? '';
    expect((await postSlack(loom.url, body)).status).toBe(200);
    const final = await finalMessage(loom, slack, ts);
    expect(await finishedAgentRuns(loom)).toEqual({ all: 1, completed: 1 });
    expect(host.fake.github.pulls).toHaveLength(1);
    expect(String(final.params.text)).toContain(`/pull/${host.fake.github.pulls[0]?.number}`);
    expect(slack.callsOf('reactions.add')).toHaveLength(1);

    // Tunnelled (CONNECT): GitHub's API and the provider. Passed on in absolute form: Slack's
    // plain-HTTP stand-in and git's smart HTTP.
    const tunnels = new Set(proxy.connects.map((connect) => connect.target));
    expect(tunnels).toEqual(new Set([githubHost, new URL(renamed(model.url, 'model.test')).host]));
    const passedOn = proxy.forwarded.map((request) => new URL(request.url));
    expect(passedOn.filter((url) => url.hostname === 'slack.test').map((url) => url.pathname)).toEqual(
      expect.arrayContaining(['/api/reactions.add', '/api/chat.postMessage']),
    );
    expect(
      passedOn.some((url) => url.host === githubHost && url.pathname.endsWith('/git-receive-pack')),
    ).toBe(true);
    // The proxy answers 407 to anything without its credentials: the run got through, so each client
    // sent them (git after its probe: libcurl asks without credentials first).
    const basic = `Basic ${Buffer.from(`loom:${proxyPassword}`).toString('base64')}`;
    expect(proxy.connects.every((connect) => connect.headers['proxy-authorization'] === basic)).toBe(true);
    // Start-up names the proxy by its origin only.
    expect(loom.output()).toContain(proxy.url);
    expect(loom.output()).not.toContain(proxyPassword);
  }, 180_000);

  it('holds a Socket Mode connection to Slack through the tunnel and acknowledges an event over it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'loom-e2e-slack-tls-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const certificate = await createSelfSignedCertificate(dir, ['slack.test']);
    const appToken = 'xapp-1-proxied-app-token';
    const slack = await startSlackWebApiServer(
      { teamId, botUserId, botId, botToken },
      { tls: certificate, appToken, publicName: 'slack.test' },
    );
    cleanups.push(() => slack.close());
    const proxy = await startFakeConnectProxy({ hosts: { 'slack.test': '127.0.0.1' } });
    cleanups.push(() => proxy.close());
    const loom = await startLoomService({
      SLACK_BOT_TOKEN: botToken,
      SLACK_APP_TOKEN: appToken,
      SLACK_API_URL: slack.apiUrl,
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: certificate.certPath,
    });
    cleanups.push(() => loom.stop());

    const socket = await waitFor(() => slack.sockets[0], {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: `a Socket Mode connection\n${loom.output()}`,
    });
    expect(slack.callsOf('apps.connections.open').map((call) => call.token)).toEqual([appToken]);
    // Every byte to slack.test went through the proxy, which alone can resolve the name.
    expect(new Set(proxy.connects.map((connect) => connect.target))).toEqual(
      new Set([new URL(slack.apiUrl).host]),
    );
    expect(proxy.forwarded).toEqual([]);

    sendEnvelope(socket, 'envelope-through-proxy', appMention('hello from behind the proxy'));
    await waitFor(() => slack.acks.includes('envelope-through-proxy'), {
      timeoutMs: 30_000,
      intervalMs: 100,
      what: `the envelope's acknowledgement\n${loom.output()}`,
    });
    expect(slack.callsOf('auth.test').length).toBeGreaterThan(0);
  }, 120_000);
});

function sendEnvelope(socket: WebSocket, envelopeId: string, body: Record<string, unknown>): void {
  socket.send(
    JSON.stringify({
      envelope_id: envelopeId,
      payload: body,
      type: 'events_api',
      accepts_response_payload: false,
      retry_attempt: 0,
      retry_reason: '',
    }),
  );
}

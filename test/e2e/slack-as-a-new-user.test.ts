/**
 * The Slack app tried as a new user would (issue 6, "Done when"): the real `loom start` as a child
 * process, configured by environment variables only (no policy file: the shipped default), against a
 * Slack-compatible Web API, a GitHub-compatible host on one loopback origin and a model server
 * speaking the Anthropic API. Signed Events API requests go to `POST /slack/events`; what counts is
 * what Loom then did on the host and in the Slack thread, and what `/metrics` says ran.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixFailingTestScript, fixedAnswer } from '../github/support/engineer-script.js';
import { failingProject } from '../github/support/github-worker-harness.js';
import { hostedFile } from '../github/support/hosted-repository.js';
import {
  requestText,
  startScriptedAnthropicServer,
  type ScriptedAnthropicServer,
} from '../github/support/scripted-anthropic-server.js';
import { testAppId, testAppKeys } from '../github/support/worker-deps.js';
import { anthropicKey } from '../proxy/support/fake-provider.js';
import { postSlack, signingSecret } from '../slack/support/signed-post.js';
import {
  appMention,
  botId,
  botUserId,
  channelId,
  eventOf,
  teamId,
  urlVerification,
} from '../slack/support/slack-events.js';
import { startGithubHost, type GithubHost } from './support/github-host.js';
import { startLoomService, type LoomService } from './support/loom-service.js';
import { finalMessage, finishedAgentRuns } from './support/slack-run-outcome.js';
import { startSlackWebApiServer, type SlackWebApiServer } from './support/slack-web-api-server.js';

const timeout = 180_000;
const owner = 'acme';
const repo = 'calc';
const botToken = 'xoxb-e2e-bot-token';

let host: GithubHost | undefined;
let model: ScriptedAnthropicServer | undefined;
let slack: SlackWebApiServer | undefined;
let loom: LoomService | undefined;
let keyDir: string | undefined;

afterEach(async () => {
  await loom?.stop();
  await slack?.close();
  await model?.close();
  await host?.close();
  if (keyDir !== undefined) await rm(keyDir, { recursive: true, force: true });
  keyDir = undefined;
  loom = undefined;
  slack = undefined;
  model = undefined;
  host = undefined;
});

const task = `please fix the failing test in ${owner}/${repo}`;

/** The stand-ins, and `loom start` configured for all three (the app key in a file, as it is downloaded). */
async function startWorld(): Promise<{ service: LoomService; gh: GithubHost; sl: SlackWebApiServer }> {
  const keys = testAppKeys();
  host = await startGithubHost({
    owner,
    repo,
    files: failingProject,
    appId: testAppId,
    appPublicKey: keys.publicKey,
  });
  model = await startScriptedAnthropicServer({ apiKey: anthropicKey, script: fixFailingTestScript() });
  slack = await startSlackWebApiServer({ teamId, botUserId, botId, botToken });
  keyDir = await mkdtemp(join(tmpdir(), 'loom-e2e-key-'));
  const keyFile = join(keyDir, 'github-app.pem');
  await writeFile(keyFile, keys.privateKey, { mode: 0o600 });
  loom = await startLoomService({
    APP_ID: String(testAppId),
    PRIVATE_KEY_PATH: keyFile,
    LOOM_JWT_SECRET: 'e2e-loom-jwt-secret-0123456789abcdef-0123456789',
    WEBHOOK_SECRET: 'e2e-webhook-secret-for-slack',
    GHE_HOST: host.host,
    GHE_PROTOCOL: 'http',
    ANTHROPIC_API_KEY: anthropicKey,
    ANTHROPIC_BASE_URL: model.url,
    SLACK_BOT_TOKEN: botToken,
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: slack.apiUrl,
  });
  return { service: loom, gh: host, sl: slack };
}

describe('Slack, as a new user', () => {
  it(
    'refuses forged and stale requests, and turns a mention naming a failing repository into one PR and one final message, also when Slack retries',
    async () => {
      const { service, gh, sl } = await startWorld();
      const health = (await (await fetch(`${service.url}/healthz`)).json()) as Record<string, unknown>;
      expect(health.integrations).toEqual({ github: 'enabled', slack: 'enabled', models: 'enabled' });
      // Slack checks the request URL once when the app is set up.
      const verification = await postSlack(service.url, urlVerification('e2e-challenge'));
      expect(verification.status).toBe(200);
      expect(verification.body).toContain('e2e-challenge');

      // Forged and stale requests are refused; each carries a task that would open a PR if it ran.
      const forged = await postSlack(service.url, appMention(task), { signature: `v0=${'0'.repeat(64)}` });
      expect(forged.status).toBe(401);
      const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
      const stale = await postSlack(service.url, appMention(task), { timestamp: tenMinutesAgo });
      expect(stale.status).toBe(401);

      const body = appMention(task);
      const ts = eventOf(body).ts ?? '';
      expect((await postSlack(service.url, body)).status).toBe(200);
      // Slack delivers the same event again (it thought our ack was late): acknowledged, not re-run.
      expect((await postSlack(service.url, body, { retryNum: 1 })).status).toBe(200);

      const final = await finalMessage(service, sl, ts);
      expect(await finishedAgentRuns(service)).toEqual({ all: 1, completed: 1 });

      expect(gh.fake.github.pulls).toHaveLength(1);
      const pull = gh.fake.github.pulls[0];
      expect(pull?.head).toMatch(new RegExp(`^loom/slack-${ts.replace('.', '')}-please-fix`));
      expect(pull?.body).toContain(fixedAnswer.slice(0, 20));
      expect(pull?.body).toContain(`/archives/${channelId}/p${ts.replace('.', '')}`);
      expect(await hostedFile(gh.git.root, owner, repo, pull?.head ?? '', 'sum.js')).toContain('a + b');

      expect(String(final.params.text)).toContain(`${gh.origin}/${owner}/${repo}/pull/${pull?.number}`);
      expect(final.params).toMatchObject({ channel: channelId, thread_ts: ts });
      const posts = sl.callsOf('chat.postMessage');
      expect(posts.filter((call) => String(call.params.text).includes('/pull/'))).toHaveLength(1);
      expect(posts.every((call) => call.params.thread_ts === ts)).toBe(true);
      expect(sl.callsOf('reactions.add').map((call) => call.params)).toEqual([
        { channel: channelId, timestamp: ts, name: 'eyes' },
      ]);
      expect(sl.calls.filter((call) => call.token !== botToken)).toEqual([]);
      // No credential reached the model through the workspace's environment or git config.
      expect(model?.requests.map(requestText).join('\n')).not.toMatch(/ghs_|xoxb-/);
      expect(gh.fake.github.unexpected).toEqual([]);
    },
    timeout,
  );

  it(
    'runs a retry whose original never arrived, and ignores a workspace the app is not installed in',
    async () => {
      const { service, gh, sl } = await startWorld();
      const stranger = appMention(task, { user_team: 'T0STRANGER', team: 'T0STRANGER' });
      expect((await postSlack(service.url, stranger)).status).toBe(200);
      // Slack's first attempt was lost on the way: the retry is the first Loom sees, and it runs.
      const body = appMention(task);
      const ts = eventOf(body).ts ?? '';
      expect((await postSlack(service.url, body, { retryNum: 1 })).status).toBe(200);
      const final = await finalMessage(service, sl, ts);
      expect(await finishedAgentRuns(service)).toEqual({ all: 1, completed: 1 });
      expect(gh.fake.github.pulls).toHaveLength(1);
      expect(String(final.params.text)).toContain(`/pull/${gh.fake.github.pulls[0]?.number}`);
      const strangerTs = eventOf(stranger).ts;
      expect(
        sl.calls.filter(
          (call) => call.params.thread_ts === strangerTs || call.params.timestamp === strangerTs,
        ),
      ).toEqual([]);
    },
    timeout,
  );
});

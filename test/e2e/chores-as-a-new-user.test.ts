/**
 * Chores tried as a new user would (issue 7, "Done when"): the real `loom start` as a child process,
 * configured by environment variables only, against a GitHub-compatible host on one loopback origin
 * (REST API at /api/v3, git smart-HTTP beside it) and a model server speaking the Anthropic API. The
 * test only uses Loom's public surfaces: the `loom` CLI (`token create`, `chores list`,
 * `chores run --wait`), the signed GitHub webhook endpoint, and what Loom did on the host.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { lastToolCall } from '../github/support/engineer-script.js';
import { commitFiles, hostedFile, hostedRepositoryPath } from '../github/support/hosted-repository.js';
import { exampleEvent } from '../github/support/payloads.js';
import {
  startScriptedAnthropicServer,
  type ModelScript,
  type ScriptedAnthropicServer,
} from '../github/support/scripted-anthropic-server.js';
import { testAppId, testAppKeys } from '../github/support/worker-deps.js';
import { anthropicKey } from '../proxy/support/fake-provider.js';
import { waitFor } from '../queue/support/wait-for.js';
import { startGithubHost, type GithubHost } from './support/github-host.js';
import { startLoomService, type LoomService } from './support/loom-service.js';
import { startSlackWebApiServer, type SlackWebApiServer } from './support/slack-web-api-server.js';

const timeout = 180_000;
const owner = 'acme';
const repo = 'notes-app';
const repository = `${owner}/${repo}`;
const webhookSecret = 'e2e-webhook-secret-for-chores';

const choresFile = `chores:
  - name: notes
    schedule: '0 7 * * 1'
    prompt: Update NOTES.md with this week's notes.
    budget: 2
    labels: [chore]
    slack_channel: C0CHORES01
`;
// Line 3 is the broken one: the check run must name it.
const invalidChoresFile = `chores:
  - name: notes
    schedule: 'every monday at seven'
    prompt: Update NOTES.md with this week's notes.
`;

let host: GithubHost | undefined;
let model: ScriptedAnthropicServer | undefined;
let loom: LoomService | undefined;
let slack: SlackWebApiServer | undefined;

afterEach(async () => {
  await loom?.stop();
  await slack?.close();
  await model?.close();
  await host?.close();
  loom = undefined;
  slack = undefined;
  model = undefined;
  host = undefined;
});

/** The chore's agent writes NOTES.md with whatever `notes.text` holds when it runs, then answers. */
function notesScript(notes: { text: string }): ModelScript {
  return (request) =>
    lastToolCall(request) === undefined
      ? { tools: [{ name: 'write_file', input: { path: 'NOTES.md', content: `${notes.text}\n` } }] }
      : { text: `Wrote "${notes.text}" to NOTES.md.` };
}

/** A `push` to main as GitHub sends it (real example payload), for the commit `after`. */
function pushEvent(before: string, after: string): string {
  const { payload } = exampleEvent('push');
  const repositoryJson = payload.repository as Record<string, unknown>;
  Object.assign(repositoryJson, { name: repo, full_name: repository, default_branch: 'main' });
  (repositoryJson.owner as Record<string, unknown>).login = owner;
  const commit = {
    id: after,
    message: 'Change the chores',
    added: [],
    removed: [],
    modified: ['.loom/chores.yml'],
  };
  Object.assign(payload, {
    ref: 'refs/heads/main',
    before,
    after,
    created: false,
    deleted: false,
    base_ref: null,
    commits: [commit],
    head_commit: commit,
    installation: { id: 4242, node_id: 'MDIzOkludGVncmF0aW9uNDI0Mg==' },
  });
  return JSON.stringify(payload);
}

async function postWebhook(url: string, event: string, body: string): Promise<Response> {
  const signature = `sha256=${createHmac('sha256', webhookSecret).update(body).digest('hex')}`;
  return fetch(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/e2e',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signature,
    },
    body,
  });
}

describe('chores, as a new user', () => {
  it(
    'lists the chore with its next run, runs it into one PR from loom/chore-notes, reuses that PR, and checks an invalid file',
    async () => {
      const keys = testAppKeys();
      host = await startGithubHost({
        owner,
        repo,
        files: { 'README.md': '# notes app\n', '.loom/chores.yml': choresFile },
        appId: testAppId,
        appPublicKey: keys.publicKey,
      });
      const notes = { text: 'first run' };
      model = await startScriptedAnthropicServer({ apiKey: anthropicKey, script: notesScript(notes) });
      const botToken = 'xoxb-e2e-chores-bot';
      slack = await startSlackWebApiServer({
        teamId: 'T0ACME0001',
        botUserId: 'U0LOOMBOT1',
        botId: 'B0LOOMBOT1',
        botToken,
      });
      const sl = slack;
      loom = await startLoomService({
        APP_ID: String(testAppId),
        // As a .env file holds it: one line, newlines written as \n.
        PRIVATE_KEY: keys.privateKey.replaceAll('\n', '\\n'),
        WEBHOOK_SECRET: webhookSecret,
        GHE_HOST: host.host,
        GHE_PROTOCOL: 'http',
        ANTHROPIC_API_KEY: anthropicKey,
        ANTHROPIC_BASE_URL: model.url,
        SLACK_BOT_TOKEN: botToken,
        SLACK_SIGNING_SECRET: 'e2e-chores-slack-signing-secret',
        SLACK_API_URL: slack.apiUrl,
      });
      const service = loom;
      const gh = host;
      const token = await service.adminToken();
      const client = { LOOM_SERVER_URL: service.url, LOOM_TOKEN: token };

      // The start-up reconcile picks the file up in the background: wait until the API knows it.
      // (The store row comes before the scheduler: wait for both, so the listing is not racing it.)
      await waitFor(
        async () => {
          const response = await fetch(`${service.url}/api/chores?repository=${repository}`, {
            headers: { authorization: `Bearer ${token}` },
          });
          if (response.status !== 200) return false;
          const { chores } = (await response.json()) as { chores: Array<{ scheduled: boolean }> };
          return chores[0]?.scheduled === true;
        },
        { timeoutMs: 60_000, intervalMs: 250, what: `the start-up reconcile\n${service.output()}` },
      );
      const listed = await service.cli(['chores', 'list', repository], client);
      expect(listed.stderr).toBe('');
      expect(listed.code).toBe(0);
      expect(listed.stdout).toMatch(
        /acme\/notes-app notes\s+0 7 \* \* 1 \(UTC\)\s+next \d{4}-\d\d-\d\dT07:00:00(\.000)?Z\s+never ran/,
      );

      const unknown = await service.cli(['chores', 'run', repository, 'no-such-chore', '--wait'], client);
      expect(unknown.code).not.toBe(0);
      expect(unknown.stderr).toContain('notes');

      const first = await service.cli(['chores', 'run', repository, 'notes', '--wait'], client, 120_000);
      expect(first.code, `${first.stdout}${first.stderr}\n${service.output()}`).toBe(0);
      expect(first.stdout).toMatch(/: done /);
      expect(gh.fake.github.pulls).toHaveLength(1);
      const pull = gh.fake.github.pulls[0];
      expect(pull).toMatchObject({ head: 'loom/chore-notes', base: 'main', state: 'open' });
      expect(first.stdout).toContain(`${gh.origin}/${repository}/pull/${pull?.number}`);
      expect(await hostedFile(gh.git.root, owner, repo, 'loom/chore-notes', 'NOTES.md')).toBe('first run\n');

      notes.text = 'second run';
      const second = await service.cli(['chores', 'run', repository, 'notes', '--wait'], client, 120_000);
      expect(second.code, `${second.stdout}${second.stderr}\n${service.output()}`).toBe(0);
      expect(gh.fake.github.pulls).toHaveLength(1);
      expect(second.stdout).toContain(`${gh.origin}/${repository}/pull/${pull?.number}`);
      expect(await hostedFile(gh.git.root, owner, repo, 'loom/chore-notes', 'NOTES.md')).toBe('second run\n');

      // Each run told the chore's Slack channel, linking the one PR.
      const told = await waitFor(
        () => {
          const posts = sl.callsOf('chat.postMessage').filter((call) => call.params.channel === 'C0CHORES01');
          return posts.length === 2 ? posts : undefined;
        },
        { timeoutMs: 30_000, what: "two messages to the chore's Slack channel" },
      );
      for (const post of told) expect(String(post.params.text)).toContain(`/pull/${pull?.number}|`);

      // One dashboard issue, kept current with the chore's last run and its open PR.
      const dashboard = await waitFor(
        () => {
          const issues = gh.fake.issues.filter((issue) => issue.title === 'Loom chores');
          return issues.length === 1 && issues[0]?.body.includes(`/pull/${pull?.number}`)
            ? issues[0]
            : undefined;
        },
        { timeoutMs: 30_000, what: 'the "Loom chores" issue to show the PR' },
      );
      expect(dashboard.body).toContain('notes');
      expect(gh.fake.issues.filter((issue) => issue.title === 'Loom chores')).toHaveLength(1);

      // A push that breaks the file: a failing check run on that commit, naming the line.
      const bare = hostedRepositoryPath(gh.git.root, owner, repo);
      const broken = await commitFiles(bare, 'main', { '.loom/chores.yml': invalidChoresFile });
      const delivered = await postWebhook(service.url, 'push', pushEvent(gh.initialCommit, broken));
      expect(delivered.status).toBe(202);
      const check = await waitFor(() => gh.fake.github.checkRuns.find((run) => run.name === 'Loom chores'), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: `the "Loom chores" check run\n${service.output()}`,
      });
      expect(check).toMatchObject({ head_sha: broken, status: 'completed', conclusion: 'failure' });
      const output = check.output as {
        title: string;
        text: string;
        annotations: Array<Record<string, unknown>>;
      };
      expect(output.title).toContain('line 3');
      expect(output.text).toContain('.loom/chores.yml:3:');
      expect(output.annotations[0]).toMatchObject({ path: '.loom/chores.yml', start_line: 3 });
      // The invalid file changed nothing: the chore is still there.
      const after = await service.cli(['chores', 'list'], client);
      expect(after.stdout).toMatch(/acme\/notes-app notes .*next \d{4}-/);
      expect(gh.fake.github.unexpected).toEqual([]);
    },
    timeout,
  );
});

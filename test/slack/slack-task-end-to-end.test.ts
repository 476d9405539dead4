/**
 * A Slack request through the whole pipeline, with only third parties stood in for: a signed
 * `app_mention` naming a repository whose test fails → `POST /slack/events` → BullMQ job (real
 * Redis) → a worker running the real Slack handler and task runner → the app's installation found
 * by repository on a GitHub-compatible host (fake REST API + real git server) → the agent in a
 * weaver, reaching a model server that speaks the Anthropic API through the real Loom proxy → a
 * branch, one draft PR that links back to the thread, and a final thread message linking the PR.
 * A later mention on that PR continues the same conversation (one thread across surfaces).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { fixFailingTestScript, fixedAnswer } from '../github/support/engineer-script.js';
import { githubRequest, owner, repo } from '../github/support/github-worker-harness.js';
import { hostedBranches, hostedFile } from '../github/support/hosted-repository.js';
import { requestText } from '../github/support/scripted-anthropic-server.js';
import { postSlack } from './support/signed-post.js';
import type { RecordedCall } from './support/slack-api-mock.js';
import { appMention, channelId, eventOf, teamId } from './support/slack-events.js';
import { finishedSlackRun, startSlackLoom, type SlackLoom } from './support/slack-loom.js';

const timeout = 240_000;
let loom: SlackLoom | undefined;

afterEach(async () => {
  await loom?.close();
  loom = undefined;
});

const texts = (calls: RecordedCall[]): string[] => calls.map((call) => String(call.params.text));

describe('Slack request to pull request', () => {
  it(
    'fixes a failing test: branch, one draft PR linking the thread, final message linking the PR; a retry runs once',
    async () => {
      loom = await startSlackLoom(fixFailingTestScript());
      const { gh, sl, posts, reactions } = loom;
      const body = appMention(`please fix the failing test in ${owner}/${repo}`);
      const ts = eventOf(body).ts ?? '';
      expect((await postSlack(sl.url, body)).status).toBe(200);
      // Slack retries the same event (our ack was slow): acknowledged, not run again.
      expect((await postSlack(sl.url, body, { retryNum: 1 })).status).toBe(200);
      const run = await finishedSlackRun(sl, String(body.event_id));
      expect(run.status).toBe('done');
      expect(await sl.jobCount()).toBe(1);

      expect(gh.fake.pulls).toHaveLength(1);
      const pull = gh.fake.pulls[0];
      const threadLink = `https://slack.com/archives/${channelId}/p${ts.replace('.', '')}`;
      expect(pull?.head).toMatch(new RegExp(`^loom/slack-${ts.replace('.', '')}-please-fix`));
      expect(pull?.draft).toBe(true);
      expect(pull?.body).toContain(threadLink);
      expect(pull?.body).toContain(fixedAnswer.slice(0, 20));
      const branches = await hostedBranches(gh.git.root, owner, repo);
      expect(Object.keys(branches)).toContain(pull?.head);
      expect(await hostedFile(gh.git.root, owner, repo, pull?.head ?? '', 'sum.js')).toContain('a + b');

      expect(reactions.map((call) => call.params.name)).toContain('eyes');
      const final = texts(posts).at(-1) ?? '';
      expect(final).toContain(`/pull/${pull?.number}`);
      expect(posts.every((call) => call.params.thread_ts === ts)).toBe(true);
      // No credential reached the model through the weaver's environment or git config.
      expect(gh.model.requests.map(requestText).join('\n')).not.toMatch(/ghs_|xoxb-/);
    },
    timeout,
  );

  it(
    'finds the installation through the app’s installations when the host lacks the per-repository endpoint',
    async () => {
      loom = await startSlackLoom(fixFailingTestScript());
      const { gh, sl } = loom;
      gh.fake.faults.push({
        method: 'GET',
        path: /^\/repos\/[^/]+\/[^/]+\/installation$/,
        status: 404,
        times: 100,
      });
      const body = appMention(`please fix the failing test in ${owner}/${repo}`);
      expect((await postSlack(sl.url, body)).status).toBe(200);
      expect((await finishedSlackRun(sl, String(body.event_id))).status).toBe('done');
      expect(gh.fake.pulls).toHaveLength(1);
      expect(gh.fake.requests.map((request) => request.path)).toContain('/app/installations');
    },
    timeout,
  );

  it(
    'continues the Slack conversation when someone mentions the app on the PR it opened',
    async () => {
      loom = await startSlackLoom(fixFailingTestScript());
      const { gh, sl } = loom;
      const body = appMention(`please fix the failing test in ${owner}/${repo}`);
      expect((await postSlack(sl.url, body)).status).toBe(200);
      expect((await finishedSlackRun(sl, String(body.event_id))).status).toBe('done');
      const pull = gh.fake.pulls[0];
      expect(pull).toBeDefined();
      const before = gh.model.requests.length;

      gh.fake.permissions.set('alice', 'write');
      const jobId = await gh.enqueue(
        githubRequest({ number: pull?.number ?? 0, isPullRequest: true, prompt: 'what did you change?' }),
      );
      // The GitHub job runs on the harness's own queue: a worker for it.
      gh.startWorker();
      const run = await gh.finishedRun(jobId, 200_000);
      expect(['done', 'answered'].includes(String(run.result?.outcome))).toBe(true);
      const followUp = gh.model.requests.slice(before).map(requestText).join('\n');
      // The PR mention's run saw the Slack request in its transcript.
      expect(followUp).toContain('please fix the failing test');
      expect(followUp).toContain('what did you change?');
      expect(gh.fake.pulls).toHaveLength(1);
    },
    timeout,
  );

  it(
    'continues a GitHub conversation from Slack when the message links its PR, and replies stay on it',
    async () => {
      loom = await startSlackLoom(fixFailingTestScript());
      const { gh, sl, posts } = loom;
      gh.fake.permissions.set('alice', 'write');
      gh.fake.issues.set(12, { title: 'sum returns the wrong result', body: '' });
      gh.startWorker();
      const first = await gh.enqueue(githubRequest({ number: 12, prompt: '@loom-bot fix the failing test' }));
      expect((await gh.finishedRun(first, 200_000)).status).toBe('done');
      const pull = gh.fake.pulls[0];
      expect(pull?.head).toMatch(/^loom\/12-/);
      const before = gh.model.requests.length;

      const pullUrl = `http://ghe.test/${owner}/${repo}/pull/${pull?.number}`;
      const body = appMention(`in ${owner}/${repo}, about ${pullUrl}: what did you change?`);
      const ts = eventOf(body).ts ?? '';
      expect((await postSlack(sl.url, body)).status).toBe(200);
      const run = await finishedSlackRun(sl, String(body.event_id));
      expect(['done', 'answered']).toContain(String(run.result?.outcome));
      const fromSlack = gh.model.requests.slice(before).map(requestText).join('\n');
      expect(fromSlack).toContain('fix the failing test');
      expect(fromSlack).toContain('what did you change?');
      expect(gh.fake.pulls).toHaveLength(1);
      expect(
        Object.keys(await hostedBranches(gh.git.root, owner, repo)).filter((b) => b.startsWith('loom/slack')),
      ).toEqual([]);

      // The Slack thread now belongs to that conversation: a plain reply continues it.
      const thread = await gh.store.threads.findBySource({ kind: 'slack', teamId, channelId, threadTs: ts });
      expect(thread?.sources).toContainEqual({
        kind: 'github',
        repository: `${owner}/${repo}`,
        number: pull?.number,
        type: 'pull_request',
      });
      expect(texts(posts).at(-1)).toBeTruthy();
    },
    timeout,
  );
});

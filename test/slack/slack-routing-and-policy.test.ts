/**
 * What the ingress does with messages that are for Loom: threads it is part of, repository routing
 * (named, thread, channel default, "which repository?"), `use`, `stop` and `status`, and the policy
 * (RELIABILITY 19: strangers ignored, explicit deny wins, a broken policy denies).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closeJobQueue, createJobQueue } from '../../queue/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { recordPostMessage, type RecordedCall } from './support/slack-api-mock.js';
import {
  answerAuthTest,
  startSlackHarness,
  type SlackHarness,
  type SlackHarnessOptions,
} from './support/slack-harness.js';
import {
  appMention,
  botUserId,
  channelId,
  eventOf,
  message,
  teamId,
  threadReply,
  userId,
} from './support/slack-events.js';
import { postSlack } from './support/signed-post.js';

let harness: SlackHarness | undefined;
let posted: RecordedCall[];
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  await harness?.close();
  harness = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
  nock.cleanAll();
});

async function start(options: SlackHarnessOptions = {}): Promise<SlackHarness> {
  answerAuthTest();
  posted = recordPostMessage();
  harness = await startSlackHarness(options);
  return harness;
}

async function send(body: Record<string, unknown>, retryNum?: number): Promise<void> {
  const response = await postSlack((harness as SlackHarness).url, body, { retryNum });
  expect(response.status).toBe(200);
  await (harness as SlackHarness).slackApp.settle();
}

function eventId(body: Record<string, unknown>): string {
  return body.event_id as string;
}

describe('Slack threads Loom is part of', () => {
  it('continues the conversation on a plain reply in its thread, with the thread repository', async () => {
    const h = await start();
    const mention = appMention('fix the login test in acme/web');
    await send(mention);
    const threadTs = eventOf(mention).ts as string;
    const reply = threadReply(threadTs, 'also update the changelog');
    await send(reply);
    const job = await h.job(eventId(reply));
    expect(job?.data).toMatchObject({
      prompt: 'also update the changelog',
      repository: 'acme/web',
      conversationKey: `slack:${teamId}/${channelId}/${threadTs}`,
      slack: { threadTs, messageTs: eventOf(reply).ts },
    });
    expect(await h.store.requests.get(eventId(reply))).toMatchObject({ kind: 'message.thread_reply' });
  });

  it('ignores replies in threads it is not part of, without recording them', async () => {
    const h = await start();
    const reply = threadReply('1690000000.000100', 'fix acme/web');
    await send(reply);
    expect(await h.jobCount()).toBe(0);
    expect(await h.store.requests.get(eventId(reply))).toBeUndefined();
  });

  it.each([
    ['its own messages', { user: botUserId }],
    ['other bots', { bot_id: 'B0OTHERBOT', subtype: 'bot_message', user: undefined }],
    ['an app posting as a user', { bot_id: 'B0OTHERAPP' }],
    ['edits', { subtype: 'message_changed' }],
    ['channel joins', { subtype: 'channel_join' }],
  ])('never triggers on %s', async (_name, overrides) => {
    const h = await start();
    const mention = appMention('fix the login test in acme/web');
    await send(mention);
    const reply = threadReply(eventOf(mention).ts as string, 'fix acme/web', overrides);
    await send(reply);
    expect(await h.job(eventId(reply))).toBeUndefined();
    expect(await h.jobCount()).toBe(1);
  });

  it('never triggers on a bot mentioning it', async () => {
    const h = await start();
    await send(appMention('fix acme/web', { bot_id: 'B0OTHERBOT' }));
    expect(await h.jobCount()).toBe(0);
  });

  it('leaves a channel message that mentions it to the app_mention event', async () => {
    const h = await start();
    await send(message(`<@${botUserId}> fix acme/web`));
    expect(await h.jobCount()).toBe(0);
  });
});

describe('Slack repository routing', () => {
  it('asks which repository once, and runs the original task when the thread answers', async () => {
    const h = await start();
    const mention = appMention('fix the flaky login test');
    await send(mention);
    await send(mention, 1);
    expect(await h.jobCount()).toBe(0);
    expect(posted).toHaveLength(1);
    expect(posted[0]?.params).toMatchObject({ channel: channelId, thread_ts: eventOf(mention).ts });
    expect(String(posted[0]?.params.text)).toContain('Which repository');
    expect(await h.store.requests.get(eventId(mention))).toMatchObject({
      status: 'refused',
      reason: 'whichRepository',
    });

    const answer = threadReply(eventOf(mention).ts as string, 'acme/web');
    await send(answer);
    expect((await h.job(eventId(answer)))?.data).toMatchObject({
      repository: 'acme/web',
      prompt: 'fix the flaky login test\n\nacme/web',
    });
  });

  it('binds a channel with `use`, confirms once, and routes later tasks there', async () => {
    const h = await start();
    const use = appMention('use https://github.com/acme/api');
    await send(use);
    await send(use, 1);
    expect(await h.store.slack.getChannelBinding(teamId, channelId)).toMatchObject({
      repository: 'acme/api',
      setBy: userId,
    });
    expect(posted).toHaveLength(1);
    expect(String(posted[0]?.params.text)).toContain('acme/api');
    expect(await h.jobCount()).toBe(0);

    const task = appMention('make the build faster');
    await send(task);
    expect((await h.job(eventId(task)))?.data).toMatchObject({ repository: 'acme/api', command: 'run' });
    const named = appMention('make the build faster in acme/web');
    await send(named);
    expect((await h.job(eventId(named)))?.data).toMatchObject({ repository: 'acme/web' });
  });

  it('turns stop and status in a Loom thread into commands for its conversation', async () => {
    const h = await start();
    const mention = appMention('fix the login test in acme/web');
    await send(mention);
    const threadTs = eventOf(mention).ts as string;
    const stop = appMention('stop', { thread_ts: threadTs });
    const status = threadReply(threadTs, 'status');
    await send(stop);
    await send(status);
    expect((await h.job(eventId(stop)))?.data).toMatchObject({
      command: 'stop',
      repository: 'acme/web',
      conversationKey: `slack:${teamId}/${channelId}/${threadTs}`,
    });
    expect((await h.job(eventId(status)))?.data).toMatchObject({ command: 'status' });
  });

  it('answers stop outside a Loom thread without a job', async () => {
    const h = await start();
    await send(appMention('stop'));
    expect(await h.jobCount()).toBe(0);
    expect(String(posted[0]?.params.text)).toContain('no Loom task');
  });
});

describe('Slack policy (RELIABILITY 19)', () => {
  async function policyFile(text: string): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), 'loom-slack-policy-'));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    const path = join(directory, 'policy.yml');
    await writeFile(path, text);
    return path;
  }

  it('ignores a user from another workspace under the default policy: no job, no reply, no record', async () => {
    const h = await start();
    const stranger = appMention('fix acme/web', {
      user: 'U0MALLORY1',
      user_team: 'T0STRANGER',
      team: 'T0STRANGER',
    });
    await send(stranger);
    expect(await h.jobCount()).toBe(0);
    expect(posted).toHaveLength(0);
    expect(await h.store.requests.get(eventId(stranger))).toBeUndefined();
  });

  it('ignores a workspace the policy file does not list', async () => {
    const file = await policyFile(
      'version: 1\nslack:\n  rules:\n    - effect: allow\n      workspaces: [T0OTHER001]\n      repositories: ["*"]\n',
    );
    const h = await start({ policyFile: file });
    await send(appMention('fix acme/web'));
    expect(await h.jobCount()).toBe(0);
    expect(posted).toHaveLength(0);
  });

  it('refuses politely when an explicit deny beats an allow', async () => {
    const file = await policyFile(
      [
        'version: 1',
        'slack:',
        '  rules:',
        `    - effect: allow`,
        `      workspaces: [${teamId}]`,
        '      repositories: ["acme/*"]',
        '    - effect: deny',
        `      users: [${userId}]`,
        '      repositories: [acme/infra]',
      ].join('\n'),
    );
    const h = await start({ policyFile: file });
    const denied = appMention('rotate the keys in acme/infra');
    await send(denied);
    const allowed = appMention('fix the docs in acme/web');
    await send(allowed);
    expect(await h.job(eventId(denied))).toBeUndefined();
    expect(await h.job(eventId(allowed))).toBeDefined();
    expect(await h.store.requests.get(eventId(denied))).toMatchObject({
      status: 'refused',
      reason: 'refused',
    });
    expect(posted).toHaveLength(1);
    expect(String(posted[0]?.params.text)).toContain('not allowed');
  });

  it('denies everything, silently, while the policy file is broken', async () => {
    const file = await policyFile(
      'version: 1\nslack:\n  rules:\n    - effect: allow\n      workspace: [T0ACME0001]\n',
    );
    const h = await start({ policyFile: file });
    await send(appMention('fix acme/web'));
    expect(await h.jobCount()).toBe(0);
    expect(posted).toHaveLength(0);
  });
});

async function deadQueue() {
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
  const queue = createJobQueue({
    connection: { url: `redis://127.0.0.1:${port}`, connectionName: 'loomtest-dead-producer' },
    queueName: 'loomtest-dead',
    logger: createSilentLogger(),
  });
  cleanups.push(() => closeJobQueue(queue));
  return queue;
}

describe('Slack ingress when Redis is down', () => {
  it("answers 503 within the ack budget and records nothing, so Slack's retry is processed", async () => {
    await start({ queue: await deadQueue() });
    const body = appMention('fix acme/web');
    const first = await postSlack((harness as SlackHarness).url, body);
    expect(first.status).toBe(503);
    expect(first.elapsedMs).toBeLessThan(3000);
    expect(await (harness as SlackHarness).store.requests.get(eventId(body))).toBeUndefined();
  });

  it('keeps the pending task of a "which repository?" thread when the answer cannot be enqueued', async () => {
    const h = await start({ queue: await deadQueue() });
    const mention = appMention('fix the flaky login test');
    await send(mention);
    const answer = threadReply(eventOf(mention).ts as string, 'acme/web');
    expect((await postSlack(h.url, answer)).status).toBe(503);
    expect(await h.store.requests.get(eventId(answer))).toBeUndefined();
    // Slack's retry of the answer must still run "task + answer".
    expect(await h.store.slack.getThread(teamId, channelId, eventOf(mention).ts as string)).toMatchObject({
      pendingPrompt: 'fix the flaky login test',
    });
  });
});

/**
 * POST /slack/events end to end: signed Events API payloads in, one BullMQ job (real Redis) and one
 * ledger row (real SQLite) out, Slack's Web API answered by nock at SLACK_API_URL.
 * RELIABILITY 8 (signatures), 9 (url_verification, ssl_check), 10 and 11 (retries).
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { slackConversationKey } from '../../bots/slack/index.js';
import { jobIdForDelivery } from '../../queue/index.js';
import {
  answerAuthTest,
  slackApiOrigin,
  startSlackHarness,
  waitFor,
  type SlackHarness,
} from './support/slack-harness.js';
import {
  appMention,
  channelId,
  directMessage,
  eventOf,
  sslCheckBody,
  teamId,
  urlVerification,
  userId,
} from './support/slack-events.js';
import { postSlack, signedHeaders } from './support/signed-post.js';

let harness: SlackHarness;
let authTest: nock.Scope;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
beforeEach(async () => {
  authTest = answerAuthTest();
  harness = await startSlackHarness();
});
afterEach(async () => {
  await harness.close();
  nock.cleanAll();
});

describe('POST /slack/events with a valid signature', () => {
  it('enqueues one agent-run job for an app_mention with the payload the worker needs', async () => {
    const body = appMention('fix the flaky login test in acme/web budget=$3');
    const event = eventOf(body);
    const response = await postSlack(harness.url, body);
    expect(response.status).toBe(200);
    expect(response.elapsedMs).toBeLessThan(3000);

    const job = await harness.job(body.event_id as string);
    expect(job?.name).toBe('agent-run');
    expect(job?.data).toEqual({
      version: 1,
      deliveryId: body.event_id,
      source: 'slack',
      command: 'run',
      prompt: 'fix the flaky login test in acme/web',
      repository: 'acme/web',
      requester: { source: 'slack', id: userId },
      conversationKey: slackConversationKey(teamId, channelId, event.ts as string),
      budgetUsd: 3,
      slack: { teamId, channelId, threadTs: event.ts, messageTs: event.ts, userId },
    });
    expect(await harness.store.requests.get(body.event_id as string)).toMatchObject({
      source: 'slack',
      kind: 'app_mention',
      status: 'enqueued',
      jobId: jobIdForDelivery(body.event_id as string),
    });
    expect(await harness.store.slack.getThread(teamId, channelId, event.ts as string)).toMatchObject({
      repository: 'acme/web',
    });
    expect(authTest.isDone()).toBe(true);
  });

  it('asks auth.test once for many events', async () => {
    for (const text of ['one in acme/web', 'two in acme/web', 'three in acme/web']) {
      expect((await postSlack(harness.url, appMention(text))).status).toBe(200);
    }
    expect(await harness.jobCount()).toBe(3);
    expect(authTest.isDone()).toBe(true);
  });

  it('enqueues a direct message without a mention', async () => {
    const body = directMessage('please bump the dependencies of acme/api');
    expect((await postSlack(harness.url, body)).status).toBe(200);
    const job = await harness.job(body.event_id as string);
    expect(job?.data).toMatchObject({
      repository: 'acme/api',
      prompt: 'please bump the dependencies of acme/api',
    });
    expect(await harness.store.requests.get(body.event_id as string)).toMatchObject({ kind: 'message.im' });
  });
});

describe('POST /slack/events handshakes (RELIABILITY 9)', () => {
  it('answers url_verification with the challenge and enqueues nothing', async () => {
    const response = await postSlack(
      harness.url,
      urlVerification('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'),
    );
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
    });
    expect(await harness.jobCount()).toBe(0);
  });

  it('answers ssl_check with 200 and enqueues nothing', async () => {
    const response = await postSlack(harness.url, sslCheckBody(), {
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(response.status).toBe(200);
    expect(await harness.jobCount()).toBe(0);
    expect(authTest.isDone()).toBe(false);
  });
});

describe('POST /slack/events signature checks (RELIABILITY 8)', () => {
  const now = () => Math.floor(Date.now() / 1000);

  async function expectRefused(body: Record<string, unknown>, response: { status: number; body: string }) {
    expect(response.status).toBe(401);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'unauthorized' } });
    expect(await harness.jobCount()).toBe(0);
    expect(await harness.store.requests.get(body.event_id as string)).toBeUndefined();
  }

  it('refuses a valid signature whose timestamp is 301 s old', async () => {
    const body = appMention('fix acme/web');
    await expectRefused(body, await postSlack(harness.url, body, { timestamp: now() - 301 }));
  });

  it('refuses a valid signature whose timestamp is 301 s in the future', async () => {
    const body = appMention('fix acme/web');
    await expectRefused(body, await postSlack(harness.url, body, { timestamp: now() + 301 }));
  });

  it('refuses a bad v0 hash', async () => {
    const body = appMention('fix acme/web');
    await expectRefused(body, await postSlack(harness.url, body, { signature: `v0=${'0'.repeat(64)}` }));
  });

  it('refuses a v1= prefix over the right digest', async () => {
    const body = appMention('fix acme/web');
    const [, [, signature]] = signedHeaders(JSON.stringify(body)) as [[string, string], [string, string]];
    await expectRefused(
      body,
      await postSlack(harness.url, body, { signature: signature.replace('v0=', 'v1=') }),
    );
  });

  it('refuses a duplicated signature header, even when both copies are valid', async () => {
    const body = appMention('fix acme/web');
    const headers = signedHeaders(JSON.stringify(body));
    await expectRefused(
      body,
      await postSlack(harness.url, body, { headers: [...headers, headers[1] as [string, string]] }),
    );
  });

  it('refuses a duplicated timestamp header', async () => {
    const body = appMention('fix acme/web');
    const headers = signedHeaders(JSON.stringify(body));
    await expectRefused(
      body,
      await postSlack(harness.url, body, { headers: [...headers, headers[0] as [string, string]] }),
    );
  });

  it('refuses a request without signature headers', async () => {
    const body = appMention('fix acme/web');
    await expectRefused(body, await postSlack(harness.url, body, { headers: [] }));
  });

  it('refuses a body changed after signing', async () => {
    const body = appMention('fix acme/web');
    const headers = signedHeaders(JSON.stringify(body));
    const tampered = JSON.stringify({
      ...body,
      event: { ...eventOf(body), text: 'delete everything in acme/web' },
    });
    await expectRefused(body, await postSlack(harness.url, tampered, { headers }));
  });
});

describe('POST /slack/events retries (RELIABILITY 10, 11)', () => {
  it('runs an event once when the ack was lost and Slack retries with x-slack-retry-num: 1', async () => {
    const body = appMention('fix the login test in acme/web');
    // The first answer is discarded, as if it never reached Slack.
    expect((await postSlack(harness.url, body)).status).toBe(200);
    const retry = await postSlack(harness.url, body, { retryNum: 1 });
    expect(retry.status).toBe(200);
    expect(await harness.jobCount()).toBe(1);
    expect(await harness.job(body.event_id as string)).toBeDefined();
  });

  it('runs an event once when the retry races the original', async () => {
    const body = appMention('fix the login test in acme/web');
    const answers = await Promise.all([
      postSlack(harness.url, body),
      postSlack(harness.url, body, { retryNum: 1 }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(await harness.jobCount()).toBe(1);
  });

  it('processes a retry whose original never reached us', async () => {
    const body = appMention('fix the login test in acme/web');
    expect((await postSlack(harness.url, body, { retryNum: 1 })).status).toBe(200);
    const job = await waitFor(() => harness.job(body.event_id as string), 'job of the retried event');
    expect(job.data).toMatchObject({ deliveryId: body.event_id, repository: 'acme/web' });
    expect(await harness.jobCount()).toBe(1);
  });
});

describe('POST /slack/events when Slack itself fails', () => {
  it("answers 502 while auth.test fails, and processes Slack's retry once it works", async () => {
    nock.cleanAll();
    nock(slackApiOrigin).post('/api/auth.test').reply(500, 'upstream down');
    const body = appMention('fix acme/web');
    const first = await postSlack(harness.url, body);
    expect(first.status).toBe(502);
    expect(JSON.parse(first.body)).toMatchObject({ error: { code: 'upstream_unavailable' } });
    expect(await harness.jobCount()).toBe(0);
    answerAuthTest();
    expect((await postSlack(harness.url, body, { retryNum: 1 })).status).toBe(200);
    expect(await harness.jobCount()).toBe(1);
  });
});

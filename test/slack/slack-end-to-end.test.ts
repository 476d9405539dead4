/**
 * From a Slack mention to the final message in its thread: signed event → `POST /slack/events` →
 * BullMQ job (real Redis) → a real worker running the Slack agent-run handler → status message,
 * edits and final message on Slack's Web API (nock). The work itself is an injected runner that
 * drives the reporter the way the pipeline does.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createSlackAgentRunHandler,
  createSlackWebApi,
  type SlackAgentRunHandlerDeps,
  type SlackTaskRunner,
} from '../../bots/slack/index.js';
import { createWorker, runIdForJob, jobIdForDelivery, type LoomWorker } from '../../queue/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { recordPostMessage, recordSlackMethod, type RecordedCall } from './support/slack-api-mock.js';
import {
  answerAuthTest,
  redisUrl,
  slackApiUrl,
  startSlackHarness,
  waitFor,
  type SlackHarness,
} from './support/slack-harness.js';
import { appMention, channelId, eventOf } from './support/slack-events.js';
import { postSlack } from './support/signed-post.js';

let harness: SlackHarness | undefined;
let worker: LoomWorker | undefined;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
afterEach(async () => {
  await worker?.worker.close(true);
  worker = undefined;
  await harness?.close();
  harness = undefined;
  nock.cleanAll();
});

async function run(handler: Partial<SlackAgentRunHandlerDeps>) {
  answerAuthTest();
  const posts = recordPostMessage();
  const updates = recordSlackMethod('chat.update', (params) => ({ ok: true, ts: params.ts }));
  const reactions = recordSlackMethod('reactions.add');
  const h = await startSlackHarness();
  harness = h;
  const api = createSlackWebApi({
    token: 'xoxb-test',
    apiUrl: slackApiUrl,
    logger: createSilentLogger(),
    retries: 0,
  });
  worker = createWorker({
    connection: { url: redisUrl, connectionName: `${h.queueName}-worker` },
    queueName: h.queueName,
    concurrency: 1,
    processors: {
      'agent-run': createSlackAgentRunHandler({
        api,
        state: h.store.slack,
        minUpdateIntervalMs: 0,
        ...handler,
      }),
    },
    store: h.store,
    logger: createSilentLogger(),
  });
  const body = appMention('fix the flaky login test in acme/web');
  expect((await postSlack(h.url, body)).status).toBe(200);
  const jobId = jobIdForDelivery(body.event_id as string);
  const finished = await waitFor(async () => {
    const record = await h.store.runs.get(runIdForJob(jobId));
    return record?.finishedAt !== undefined ? record : undefined;
  }, 'the run to finish');
  return { body, posts, updates, reactions, record: finished, store: h.store };
}

function texts(calls: RecordedCall[]): string[] {
  return calls.map((call) => String(call.params.text));
}

describe('Slack mention to final message', () => {
  it('reports a finished run: 👀, one status message edited to done, and the pull request link', async () => {
    const runTask: SlackTaskRunner = async (payload, _context, reporter) => {
      expect(payload).toMatchObject({ source: 'slack', repository: 'acme/web', command: 'run' });
      reporter.step('fetch', 'done');
      reporter.step('agent', 'running');
      reporter.onAgentEvent({
        type: 'usage_updated',
        usage: { input_tokens: 100, output_tokens: 20, cost_usd: 0.12 },
        turns: 2,
      });
      reporter.step('agent', 'done');
      reporter.step('push', 'done');
      reporter.step('pull_request', 'done');
      return {
        status: 'done',
        pullRequestUrl: 'https://github.com/acme/web/pull/42',
        answer: 'The test waited on a timer; now it awaits the event.',
      };
    };
    const { body, posts, updates, reactions, record } = await run({ runTask });
    const event = eventOf(body);
    expect(record).toMatchObject({
      status: 'done',
      result: { outcome: 'done', pullRequest: 'https://github.com/acme/web/pull/42' },
    });
    expect(reactions.map((call) => call.params)).toEqual([
      { channel: channelId, timestamp: event.ts, name: 'eyes' },
    ]);
    expect(posts).toHaveLength(2);
    expect(posts.every((call) => call.params.thread_ts === event.ts)).toBe(true);
    expect(texts(posts)[0]).toContain('Working on it');
    expect(texts(posts)[1]).toContain('https://github.com/acme/web/pull/42');
    expect(texts(updates).at(-1)).toContain(':white_check_mark: *Done* · `acme/web` · 2 turns');
  });

  it('ends with a failure message when the run fails for good', async () => {
    const runTask: SlackTaskRunner = async (_payload, _context, reporter) => {
      reporter.step('fetch', 'failed');
      throw new Error('repository acme/web not found');
    };
    const { posts, record } = await run({ runTask, maxAttempts: 1 });
    expect(record.status).toBe('failed');
    expect(posts).toHaveLength(2);
    expect(texts(posts)[1]).toContain('I could not finish: repository acme/web not found');
  });

  it('answers every accepted request even when no task runner is wired yet', async () => {
    const { posts, record } = await run({});
    expect(record.status).toBe('failed');
    expect(texts(posts)[1]).toContain('cannot run Slack tasks yet');
  });
});

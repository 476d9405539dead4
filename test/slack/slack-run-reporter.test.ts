/**
 * The Slack run reporter against Slack's Web API (nock at SLACK_API_URL) and a real SQLite store:
 * 👀 once, one status message edited in place (throttled), one final message, and a retried attempt
 * that edits the same status message instead of posting again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackRunReporter, createSlackWebApi } from '../../bots/slack/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { recordPostMessage, recordSlackMethod, type RecordedCall } from './support/slack-api-mock.js';
import { slackApiUrl } from './support/slack-harness.js';

let dataDir: string;
let store: Store;
let posts: RecordedCall[];
let updates: RecordedCall[];
let reactions: RecordedCall[];

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.enableNetConnect();
});
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'loom-slack-reporter-'));
  store = await openStore({ dataDir });
  posts = recordPostMessage();
  updates = recordSlackMethod('chat.update', (params) => ({
    ok: true,
    channel: params.channel,
    ts: params.ts,
  }));
  reactions = recordSlackMethod('reactions.add');
});
afterEach(async () => {
  nock.cleanAll();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

function reporter(key: string, minUpdateIntervalMs = 1000) {
  return createSlackRunReporter({
    api: createSlackWebApi({
      token: 'xoxb-test',
      apiUrl: slackApiUrl,
      logger: createSilentLogger(),
      retries: 0,
    }),
    state: store.slack,
    key,
    channelId: 'C0GENERAL1',
    threadTs: '1700000000.000100',
    messageTs: '1700000000.000100',
    repository: 'acme/web',
    budgetUsd: 3,
    logger: createSilentLogger(),
    minUpdateIntervalMs,
  });
}

describe('createSlackRunReporter', () => {
  it('reacts, posts one status message, edits it at most once a second and posts one final message', async () => {
    const report = reporter('R-run-1');
    await report.start();
    expect(reactions.map((call) => call.params)).toEqual([
      { channel: 'C0GENERAL1', timestamp: '1700000000.000100', name: 'eyes' },
    ]);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.params).toMatchObject({ channel: 'C0GENERAL1', thread_ts: '1700000000.000100' });
    const statusTs = '1800000000.000001';

    report.step('fetch', 'done');
    report.step('agent', 'running');
    for (let turn = 1; turn <= 30; turn += 1) {
      report.onAgentEvent({ type: 'turn_started', turn, attempt: 0 });
      report.onAgentEvent({
        type: 'tool_call_started',
        call: { id: `c${turn}`, name: 'bash', arguments: { command: 'npm test' } },
        readOnly: false,
      });
      report.onAgentEvent({
        type: 'tool_call_finished',
        call: { id: `c${turn}`, name: 'bash', arguments: {} },
        isError: false,
        durationMs: 5,
      });
      report.onAgentEvent({
        type: 'usage_updated',
        usage: { input_tokens: 10, output_tokens: 5, cost_usd: turn * 0.01 },
        turns: turn,
      });
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await report.flush();
    // 120 events over ~1.5 s: a few edits, each at least a second after the one before (the last
    // one is the explicit flush, which may come sooner).
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.length).toBeLessThanOrEqual(4);
    const gaps = updates.slice(1, -1).map((call, index) => call.at - (updates[index] as RecordedCall).at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
    expect(updates.every((call) => call.params.ts === statusTs)).toBe(true);
    expect(String(updates.at(-1)?.params.text)).toContain('30 turns · 30 steps · $0.30 of $3.00');

    report.step('agent', 'done');
    report.step('push', 'done');
    report.step('pull_request', 'done');
    await report.finish({
      status: 'done',
      pullRequestUrl: 'https://github.com/acme/web/pull/7',
      answer: 'Fixed the flaky test.',
    });
    expect(String(updates.at(-1)?.params.text)).toContain(':white_check_mark: *Done*');
    expect(posts).toHaveLength(2);
    expect(String(posts[1]?.params.text)).toContain('https://github.com/acme/web/pull/7');
    expect(await store.slack.getReport('R-run-1')).toEqual({
      reacted: true,
      statusTs,
      finalTs: '1800000000.000002',
    });
  });

  it('lets a retried attempt edit the same status message and never post a second final message', async () => {
    const first = reporter('R-run-2', 0);
    await first.start();
    await first.finish({ status: 'answered', answer: 'It is in config.ts.' });
    first.stop();
    expect(posts).toHaveLength(2);

    const retried = reporter('R-run-2', 0);
    await retried.start();
    await retried.finish({ status: 'answered', answer: 'It is in config.ts.' });
    expect(posts).toHaveLength(2);
    expect(reactions).toHaveLength(1);
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.every((call) => call.params.ts === '1800000000.000001')).toBe(true);
  });

  it('keeps going without the reaction when reactions.add fails', async () => {
    nock.cleanAll();
    posts = recordPostMessage();
    recordSlackMethod('reactions.add', () => ({ ok: false, error: 'missing_scope' }));
    const report = reporter('R-run-3');
    await report.start();
    expect(posts).toHaveLength(1);
    expect(await store.slack.getReport('R-run-3')).toEqual({ statusTs: '1800000000.000001' });
  });
});

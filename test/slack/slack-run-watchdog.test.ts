/**
 * "Every accepted request gets a final message, also after a worker died" (issue 6 item 4): when a
 * Slack run ends without its handler reporting (BullMQ gave up after repeated worker deaths, or the
 * job was cancelled), the watchdog finds the request's Slack thread in the ledger and posts the one
 * final message; a run that already has one, a GitHub request and a `stop` command get nothing.
 * Real SQLite store; Slack's Web API answered by nock.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackWebApi, startSlackRunWatchdog } from '../../bots/slack/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { openStore, type Store } from '../../src/store/index.js';
import { recordPostMessage } from './support/slack-api-mock.js';
import { slackApiUrl } from './support/slack-harness.js';

let store: Store;
let dataDir: string;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'loom-slack-watchdog-'));
  store = await openStore({ dataDir });
});
afterEach(async () => {
  nock.cleanAll();
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function endedRun(input: {
  id: string;
  deliveryId: string;
  source: 'slack' | 'github';
  command?: 'run' | 'stop';
  status: 'failed' | 'cancelled' | 'done';
  error?: string;
}): Promise<void> {
  const payload =
    input.source === 'slack'
      ? {
          version: 1,
          source: 'slack',
          prompt: 'fix it in acme/web',
          repository: 'acme/web',
          command: input.command ?? 'run',
          slack: { teamId: 'T1', channelId: 'C1', threadTs: '100.1', messageTs: '100.1', userId: 'U1' },
        }
      : { version: 1, source: 'github', prompt: 'fix it' };
  await store.requests.record({
    deliveryId: input.deliveryId,
    source: input.source,
    kind: input.source === 'slack' ? 'app_mention' : 'issue_comment.created',
    job: { name: 'agent-run', payload, options: { jobId: `d-${input.deliveryId}` } },
  });
  await store.runs.create({
    id: input.id,
    jobId: `d-${input.deliveryId}`,
    jobName: 'agent-run',
    deliveryId: input.deliveryId,
  });
  await store.runs.markStarted(input.id);
  await store.runs.finish(input.id, input.status, input.error === undefined ? {} : { error: input.error });
}

describe('Slack run watchdog', () => {
  it('posts one final message for a Slack run that ended silently, and only for it', async () => {
    const posts = recordPostMessage();
    await endedRun({
      id: 'R-dead',
      deliveryId: 'Ev-dead',
      source: 'slack',
      status: 'failed',
      error: 'job stalled more than allowable limit',
    });
    await endedRun({ id: 'R-reported', deliveryId: 'Ev-reported', source: 'slack', status: 'failed' });
    await store.slack.saveReport('R-reported', { statusTs: '100.2', finalTs: '100.3' });
    await endedRun({ id: 'R-github', deliveryId: 'gh-1', source: 'github', status: 'failed' });
    await endedRun({
      id: 'R-stop',
      deliveryId: 'Ev-stop',
      source: 'slack',
      command: 'stop',
      status: 'failed',
    });
    await endedRun({ id: 'R-done', deliveryId: 'Ev-done', source: 'slack', status: 'done' });

    const watchdog = startSlackRunWatchdog({
      runs: store.runs,
      requests: store.requests,
      state: store.slack,
      api: createSlackWebApi({
        token: 'xoxb-test',
        apiUrl: slackApiUrl,
        logger: createSilentLogger(),
        retries: 0,
      }),
      logger: createSilentLogger(),
      intervalMs: 3_600_000,
    });
    try {
      expect(await watchdog.sweep()).toBe(1);
      expect(posts).toHaveLength(1);
      expect(posts[0]?.params).toMatchObject({ channel: 'C1', thread_ts: '100.1' });
      expect(String(posts[0]?.params.text)).toContain('job stalled more than allowable limit');
      expect((await store.slack.getReport('R-dead'))?.finalTs).toBeDefined();
      // Once: the next sweep finds the final message recorded.
      expect(await watchdog.sweep()).toBe(0);
      expect(posts).toHaveLength(1);
    } finally {
      await watchdog.stop();
    }
  });
});

/**
 * Replies in a Slack thread while Loom works there (issue 6 item 4): a plain reply steers the running
 * task (the model sees it before its next call, and no second task starts), `stop` cancels it with a
 * final "stopped" message, and `status` answers while it runs. Real Slack ingress, Redis inbox,
 * worker and pipeline; the Slack Web API, GitHub and the model are the stand-ins.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { lastToolCall } from '../github/support/engineer-script.js';
import { owner, repo } from '../github/support/github-worker-harness.js';
import { requestText, type ModelScript } from '../github/support/scripted-anthropic-server.js';
import { postSlack } from './support/signed-post.js';
import type { RecordedCall } from './support/slack-api-mock.js';
import { appMention, eventOf, threadReply } from './support/slack-events.js';
import { waitFor } from './support/slack-harness.js';
import { finishedSlackRun, startSlackLoom, type SlackLoom } from './support/slack-loom.js';

const timeout = 240_000;
let loom: SlackLoom | undefined;

afterEach(async () => {
  await loom?.close();
  loom = undefined;
});

const texts = (calls: RecordedCall[]): string[] => calls.map((call) => String(call.params.text));

/** Works for a while (a slow command), then answers with what it was told meanwhile. */
function slowScript(seconds: number): ModelScript {
  return (request) => {
    if (lastToolCall(request) === undefined) {
      return { tools: [{ name: 'bash', input: { command: `sleep ${seconds}; echo slept` } }] };
    }
    const steered = requestText(request).includes('replied while you were working');
    return { text: steered ? 'Noted your reply: using tabs.' : 'Done without news.' };
  };
}

async function startTask(loom: SlackLoom) {
  const body = appMention(`tidy up the code in ${owner}/${repo}`);
  const threadTs = eventOf(body).ts ?? '';
  expect((await postSlack(loom.sl.url, body)).status).toBe(200);
  // Working: the model was asked once and is waiting on the slow command.
  await waitFor(async () => loom.gh.model.requests.length >= 1, 'the first model call', 60_000);
  return { body, threadTs };
}

describe('Slack thread replies while a task runs', () => {
  it(
    'steers the running task with a reply instead of starting another one',
    async () => {
      loom = await startSlackLoom(slowScript(4));
      const { body, threadTs } = await startTask(loom);
      const reply = threadReply(threadTs, 'please use tabs, not spaces');
      expect((await postSlack(loom.sl.url, reply)).status).toBe(200);
      const replyRun = await finishedSlackRun(loom.sl, String(reply.event_id));
      expect(replyRun.result).toMatchObject({ outcome: 'steered' });
      const run = await finishedSlackRun(loom.sl, String(body.event_id));
      expect(run.status).toBe('done');
      const lastRequest = loom.gh.model.requests.at(-1);
      expect(lastRequest && requestText(lastRequest)).toContain('please use tabs, not spaces');
      expect(texts(loom.posts).some((text) => text.includes('Passed to the task running'))).toBe(true);
      expect(texts(loom.posts).filter((text) => text.includes('Noted your reply'))).toHaveLength(1);
      // One task ran the model: the reply did not start a run of its own.
      expect(loom.gh.model.requests).toHaveLength(2);
    },
    timeout,
  );

  it(
    'answers status while the task runs and stops it on `stop`, with a final message',
    async () => {
      loom = await startSlackLoom(slowScript(30));
      const { body, threadTs } = await startTask(loom);
      const status = threadReply(threadTs, 'status');
      expect((await postSlack(loom.sl.url, status)).status).toBe(200);
      await finishedSlackRun(loom.sl, String(status.event_id));
      expect(texts(loom.posts).some((text) => text.includes(`Working on ${owner}/${repo}`))).toBe(true);

      const stop = threadReply(threadTs, 'stop');
      expect((await postSlack(loom.sl.url, stop)).status).toBe(200);
      const stopRun = await finishedSlackRun(loom.sl, String(stop.event_id));
      expect(stopRun.result).toMatchObject({ outcome: 'stop' });
      const run = await finishedSlackRun(loom.sl, String(body.event_id));
      expect(run.status).toBe('cancelled');
      // The stop job's acknowledgement and the run's final message come from two jobs: either order.
      expect(texts(loom.posts).filter((text) => text.includes('Stopped as asked'))).toHaveLength(1);
      expect(texts(loom.posts).some((text) => text.includes('Stopping the running task'))).toBe(true);
      expect(loom.gh.fake.pulls).toHaveLength(0);
    },
    timeout,
  );
});

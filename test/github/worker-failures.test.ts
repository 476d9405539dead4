/**
 * Nothing silent, nothing duplicated: a permanent failure ends with a final comment giving the
 * reason; a transient one is retried without a second tracking comment; and the watchdog reports a
 * run that ended without its processor saying so (every attempt died), exactly once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { processGithubAgentRun, startAgentRunWatchdog } from '../../bots/github/worker/index.js';
import { parseJobPayload } from '../../queue/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { answerQuestionScript } from './support/engineer-script.js';
import { createWorkerHarness, githubRequest, type WorkerHarness } from './support/github-worker-harness.js';

const timeout = 180_000;

describe('GitHub worker: failures', () => {
  let harness: WorkerHarness | undefined;
  afterEach(async () => {
    await harness?.cleanup();
    harness = undefined;
  });

  it(
    'reports a permanent failure in a final comment with its reason, and fails the run once',
    async () => {
      harness = await createWorkerHarness({ script: answerQuestionScript('unused') });
      const h = harness;
      h.fake.permissions.set('alice', 'write');
      // Issue 44 does not exist: reading it is a 404, which no retry can fix.
      h.startWorker();
      const run = await h.finishedRun(
        await h.enqueue(githubRequest({ number: 44, prompt: '@loom-bot fix it' })),
      );
      expect(run.status).toBe('failed');
      expect(run.attempts).toBe(1);
      const [tracking, final] = h.fake.botComments(44);
      expect(tracking?.body).toContain('❌ Loom failed');
      expect(final?.body).toContain('❌ **Failed:** GitHub: could not read the issue (HTTP 404)');
      expect(h.model.requests).toEqual([]);
      expect(h.git.pushes()).toEqual([]);
    },
    timeout,
  );

  it(
    'retries a transient GitHub failure without posting a second tracking comment',
    async () => {
      harness = await createWorkerHarness({ script: answerQuestionScript('`sum` subtracts.') });
      const h = harness;
      h.fake.permissions.set('alice', 'write');
      h.fake.issues.set(5, { title: 'What does sum do?', body: '' });
      h.fake.faults.push({ method: 'GET', path: /\/issues\/5$/, status: 502, times: 1 });
      h.startWorker();
      const run = await h.finishedRun(
        await h.enqueue(githubRequest({ number: 5, prompt: '@loom-bot what does sum do?' })),
      );
      expect(run.status).toBe('done');
      expect(run.attempts).toBe(2);
      const comments = h.fake.botComments(5);
      expect(comments).toHaveLength(2);
      expect(comments[0]?.body).toContain('✅ Loom finished');
      expect(comments[1]?.body).toContain('`sum` subtracts.');
      expect(h.fake.reactions.filter((reaction) => reaction.content === 'eyes')).toHaveLength(2);
    },
    timeout,
  );

  it(
    'a duplicate execution of a run that already reported changes nothing (RELIABILITY 27)',
    async () => {
      harness = await createWorkerHarness({ script: answerQuestionScript('`sum` subtracts.') });
      const h = harness;
      h.fake.permissions.set('alice', 'write');
      h.fake.issues.set(5, { title: 'What does sum do?', body: '' });
      h.startWorker();
      const request = githubRequest({ number: 5, prompt: '@loom-bot what does sum do?' });
      const run = await h.finishedRun(await h.enqueue(request));
      expect(run.status).toBe('done');
      const before = {
        comments: h.fake.botComments(5).length,
        requests: h.fake.requests.length,
        model: h.model.requests.length,
      };
      // The same job again, with the journal the first execution left (a lock lost mid-run).
      const result = await processGithubAgentRun(
        parseJobPayload('agent-run', request),
        {
          jobId: run.jobId,
          runId: run.id,
          jobName: 'agent-run',
          attempt: 2,
          failedAttempts: 0,
          progress: run.progress,
          saveProgress: async () => undefined,
          signal: new AbortController().signal,
          logger: createSilentLogger(),
        },
        h.deps,
      );
      expect(result).toMatchObject({ outcome: 'answered', alreadyReported: true });
      expect(h.fake.botComments(5)).toHaveLength(before.comments);
      expect(h.fake.requests).toHaveLength(before.requests);
      expect(h.model.requests).toHaveLength(before.model);
    },
    timeout,
  );

  it(
    'the watchdog posts the final comment of a run that ended silently, once',
    async () => {
      harness = await createWorkerHarness({ script: answerQuestionScript('unused') });
      const h = harness;
      const tracking = h.fake.addComment(
        6,
        'loom-bot[bot]',
        '<!-- loom:tracking:R-d-dead -->\n### ⏳ Loom is working on this',
        'Bot',
      );
      const origin = {
        installationId: 77,
        owner: 'acme',
        repo: 'calc',
        number: 6,
        appSlug: 'loom-bot',
        requester: 'alice',
        budgetUsd: 5,
      };
      await h.store.runs.create({ id: 'R-d-dead', jobId: 'd-dead', jobName: 'agent-run' });
      await h.store.runs.markStarted('R-d-dead');
      await h.store.runs.saveProgress('R-d-dead', {
        origin,
        authorized: true,
        trackingCommentId: tracking.id,
        spentUsd: 0.12,
      });
      await h.store.runs.finish('R-d-dead', 'failed', { error: 'job stalled more than allowable limit' });
      // A refused request is not "accepted": the watchdog leaves it alone.
      await h.store.runs.create({ id: 'R-d-refused', jobId: 'd-refused', jobName: 'agent-run' });
      await h.store.runs.saveProgress('R-d-refused', {
        origin: { ...origin, number: 7 },
        refusalCommentId: 1,
      });
      await h.store.runs.finish('R-d-refused', 'failed', { error: 'x' });

      const watchdog = startAgentRunWatchdog({
        runs: h.store.runs,
        api: h.deps.api,
        logger: createSilentLogger(),
        intervalMs: 3_600_000,
      });
      try {
        expect(await watchdog.sweep()).toBe(1);
        expect(await watchdog.sweep()).toBe(0);
      } finally {
        await watchdog.stop();
      }
      const comments = h.fake.botComments(6);
      expect(comments).toHaveLength(2);
      expect(comments[0]?.body).toContain('❌ Loom failed');
      expect(comments[1]?.body).toContain('job stalled more than allowable limit');
      expect(h.fake.botComments(7)).toEqual([]);
      expect((await h.store.runs.get('R-d-dead'))?.progress).toMatchObject({
        finalStatus: 'failed',
        finalCommentId: comments[1]?.id,
      });
    },
    timeout,
  );
});

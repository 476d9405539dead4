/**
 * The PR-reuse rule of chore runs, through the real pipeline (issue 7 item 3): the first run of a
 * chore opens one draft PR from `loom/chore-{name}` (with the chore's labels and reviewers); a later
 * run that changes something replaces the branch from the latest base and updates that same PR; a
 * run with nothing to change opens nothing. GitHub-compatible host, git server and model server
 * are the stand-ins; queue, worker, weaver, proxy and git are real.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createChoreWorkRunner } from '../../bots/github/worker/index.js';
import { createWorker, parseJobPayload, type JobPayloadInput } from '../../queue/index.js';
import { createAgentRunProcessor } from '../../queue/processors/agent-run-processor.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { lastToolCall } from '../github/support/engineer-script.js';
import {
  createWorkerHarness,
  owner,
  repo,
  sharedRedisUrl,
  type WorkerHarness,
} from '../github/support/github-worker-harness.js';
import { hostedBranches, hostedFile } from '../github/support/hosted-repository.js';
import { requestText, type ModelScript } from '../github/support/scripted-anthropic-server.js';

const timeout = 240_000;
let harness: WorkerHarness | undefined;

afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

/** Writes NOTES.md with the text the prompt asks for, or changes nothing when told "nothing". */
function notesScript(): ModelScript {
  return (request) => {
    const prompt = requestText(request);
    const wanted = /write '([^']+)'/.exec(prompt)?.[1];
    if (lastToolCall(request) === undefined && wanted !== undefined) {
      return { tools: [{ name: 'write_file', input: { path: 'NOTES.md', content: `${wanted}\n` } }] };
    }
    return { text: wanted === undefined ? 'Nothing to do this time.' : `Wrote ${wanted}.` };
  };
}

function chorePayload(prompt: string): Omit<JobPayloadInput<'agent-run'>, 'deliveryId'> {
  return {
    version: 1,
    source: 'chore',
    prompt,
    repository: `${owner}/${repo}`,
    budgetUsd: 2,
    chore: {
      installationId: 77,
      owner,
      repo,
      name: 'notes',
      labels: ['chore', 'loom'],
      reviewers: ['bob'],
      trigger: 'manual',
    },
  };
}

function startChoreWorker(h: WorkerHarness) {
  const runChore = createChoreWorkRunner(h.deps);
  return createWorker({
    connection: { url: sharedRedisUrl, connectionName: `${h.queueName}-chores` },
    queueName: h.queueName,
    concurrency: 1,
    processors: {
      'agent-run': createAgentRunProcessor({
        handlers: {
          chore: async (payload, context) => {
            const ending = await runChore(payload, context);
            return {
              outcome: ending.status,
              ...(ending.pullRequest ? { pullRequest: ending.pullRequest.url } : {}),
            };
          },
        },
      }),
    },
    store: h.store,
    logger: createSilentLogger(),
  });
}

describe('chore runs and their one pull request', () => {
  it(
    'opens one PR from loom/chore-{name}, updates it on the next run, and opens nothing when nothing changed',
    async () => {
      harness = await createWorkerHarness({ script: notesScript() });
      const h = harness;
      startChoreWorker(h);

      const first = await h.finishedRun(await h.enqueue(chorePayload("Update the notes: write 'first run'")));
      expect(first.result).toMatchObject({ outcome: 'done' });
      expect(h.fake.pulls).toHaveLength(1);
      const pull = h.fake.pulls[0];
      expect(pull).toMatchObject({ head: 'loom/chore-notes', base: 'main', draft: true });
      expect(pull?.body).toContain('Chore `notes`');
      expect(h.fake.labels.get(pull?.number ?? 0)).toEqual(['chore', 'loom']);
      expect(h.fake.requestedReviewers.get(pull?.number ?? 0)).toEqual(['bob']);
      expect(await hostedFile(h.git.root, owner, repo, 'loom/chore-notes', 'NOTES.md')).toBe('first run\n');

      const second = await h.finishedRun(
        await h.enqueue(chorePayload("Update the notes: write 'second run'")),
      );
      expect(second.status).toBe('done');
      expect(h.fake.pulls).toHaveLength(1);
      expect(second.result?.pullRequest).toBe(first.result?.pullRequest);
      expect(await hostedFile(h.git.root, owner, repo, 'loom/chore-notes', 'NOTES.md')).toBe('second run\n');
      // Rebuilt from the base: one commit on top of main, not a pile of runs.
      expect(h.fake.pulls[0]?.body).toContain('Wrote second run');

      // A duplicate execution of the second run (its worker died after the report) ends as it
      // ended, from the job's journal, without calling the model or pushing again.
      const calls = h.model.requests.length;
      const pushes = h.git.pushes().length;
      const again = await createChoreWorkRunner(h.deps)(
        parseJobPayload('agent-run', {
          ...chorePayload("Update the notes: write 'second run'"),
          deliveryId: 'duplicate',
        }),
        {
          jobId: second.jobId,
          runId: second.id,
          jobName: 'agent-run',
          attempt: 2,
          failedAttempts: 0,
          progress: second.progress,
          saveProgress: async () => undefined,
          signal: new AbortController().signal,
          logger: createSilentLogger(),
        },
      );
      expect(again).toMatchObject({ status: 'done', pullRequest: { url: second.result?.pullRequest } });
      expect(h.model.requests.length).toBe(calls);
      expect(h.git.pushes().length).toBe(pushes);

      const branchesBefore = await hostedBranches(h.git.root, owner, repo);
      const third = await h.finishedRun(await h.enqueue(chorePayload('Check the notes; change nothing')));
      expect(third.result?.outcome).toBe('answered');
      expect(h.fake.pulls).toHaveLength(1);
      expect(await hostedBranches(h.git.root, owner, repo)).toEqual(branchesBefore);
      // Each run starts afresh: the third run's model calls carry no earlier run's transcript.
      const lastRequest = h.model.requests.at(-1);
      expect(lastRequest && requestText(lastRequest)).not.toContain('first run');
      expect(h.fake.unexpected).toEqual([]);
    },
    timeout,
  );
});

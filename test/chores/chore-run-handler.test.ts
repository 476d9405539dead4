/**
 * The chore run handler's bookkeeping on a real worker (Redis, SQLite): each run is recorded with
 * its outcome, the one "Loom chores" issue is kept current, Slack is told, and failures follow
 * RELIABILITY 32 (permanent: fails once and the dashboard says why; transient: retried). `runWork`
 * is a fixed function here: the real runner's PR-reuse tests live with the GitHub worker.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { createChoreAgentRunHandler } from '../../bots/github/chores/index.js';
import type { ChoreWorkEnding, ChoreWorkRunner } from '../../bots/github/worker/chore-work.js';
import { LoomError } from '../../src/errors/index.js';
import { enqueueChoreRun } from '../../queue/chores/index.js';
import { createAgentRunProcessor } from '../../queue/processors/agent-run-processor.js';
import { waitFor } from '../queue/support/wait-for.js';
import { createChoresWorld, installationId, type ChoresWorld } from './support/chores-world.js';

const deps = {
  name: 'deps',
  schedule: '0 7 * * 1',
  timezone: undefined,
  prompt: 'Update the dev dependencies.',
  budgetUsd: 3,
  labels: ['chore'],
  reviewers: [],
  slackChannel: 'C0CHORES',
};

let world: ChoresWorld;
let queue: Queue;
let slack: Array<{ channel: string; text: string }>;

beforeEach(async () => {
  world = await createChoresWorld('chore-runs');
  queue = await world.harness.producer();
  slack = [];
  await world.harness.store.chores.replaceChores('acme/web', installationId, [deps]);
});
afterEach(async () => {
  await world.cleanup();
});

function startWorker(runWork: ChoreWorkRunner) {
  const handler = createChoreAgentRunHandler({
    runWork,
    store: world.harness.store,
    github: world.api,
    notifySlack: async (message) => {
      slack.push(message);
    },
  });
  world.harness.worker({
    processors: { 'agent-run': createAgentRunProcessor({ handlers: { chore: handler } }) },
  });
}

async function runChore() {
  const { runId } = await enqueueChoreRun({
    queue,
    ledger: world.harness.store.requests,
    repository: 'acme/web',
    installationId,
    chore: deps,
  });
  return waitFor(
    async () => {
      const run = await world.harness.store.chores.getRun(runId);
      return run?.finishedAt === undefined ? undefined : run;
    },
    { what: 'the chore run to finish', timeoutMs: 20_000 },
  );
}

const ending = (overrides: Partial<ChoreWorkEnding> = {}): ChoreWorkEnding => ({
  status: 'done',
  pullRequest: { number: 12, url: 'http://ghe.test/acme/web/pull/12', created: true },
  branch: 'loom/chore-deps',
  costUsd: 0.37,
  turns: 4,
  ...overrides,
});

describe('createChoreAgentRunHandler', () => {
  it('records each run and keeps one dashboard issue current across runs', async () => {
    const endings = [ending(), ending({ status: 'answered', pullRequest: undefined, costUsd: 0.05 })];
    startWorker(async () => endings.shift() ?? ending());
    const first = await runChore();
    expect(first).toMatchObject({
      repository: 'acme/web',
      choreName: 'deps',
      trigger: 'manual',
      status: 'done',
      pullRequestNumber: 12,
      costUsd: 0.37,
      turns: 4,
    });
    expect(first.startedAt).toBeInstanceOf(Date);
    const second = await runChore();
    expect(second.status).toBe('answered');
    await waitFor(() => /nothing to change/.test(world.fake.issues[0]?.body ?? ''), {
      what: 'the dashboard edit',
    });
    expect(world.fake.issues).toHaveLength(1);
    const body = world.fake.issues[0]?.body ?? '';
    expect(body).toMatch(/✅ nothing to change \(\$0\.05\)/);
    expect(body).toMatch(/\[#12\]\(http:\/\/ghe\.test\/acme\/web\/pull\/12\)/);
    // Reports follow the record: wait for the second message.
    await waitFor(() => slack.length === 2, { what: 'the second Slack message' });
    expect(slack.map((message) => message.channel)).toEqual(['C0CHORES', 'C0CHORES']);
    expect(slack[0]?.text).toMatch(/pull request #12> updated/);
    await waitFor(async () => (await world.harness.store.runs.get(first.runId))?.status === 'done', {
      what: 'the first job to complete',
    });
  });

  it('a permanent error fails the job once and the dashboard says why (RELIABILITY 32)', async () => {
    let calls = 0;
    startWorker(async () => {
      calls += 1;
      throw new LoomError('unauthorized', 'model provider answered 401');
    });
    const run = await runChore();
    expect(run).toMatchObject({ status: 'failed', reason: 'model provider answered 401' });
    expect(calls).toBe(1);
    // The job handler finishes the Loom run after the chore record: failed once, no retry.
    await waitFor(async () => (await world.harness.store.runs.get(run.runId))?.status === 'failed', {
      what: 'the job to fail',
    });
    expect((await world.harness.store.runs.get(run.runId))?.attempts).toBe(1);
    await waitFor(() => slack.length === 1, { what: 'the Slack message' });
    expect(world.fake.issues[0]?.body).toMatch(/❌ failed: model provider answered 401/);
    expect(slack[0]?.text).toMatch(/failed: model provider answered 401/);
  });

  it('a transient error is retried and the run recorded once with the final outcome', async () => {
    let calls = 0;
    startWorker(async () => {
      calls += 1;
      if (calls === 1) throw new LoomError('upstream_unavailable', 'GitHub answered 502');
      return ending();
    });
    // Backoff of the default policy is 5 s; the attempt after it succeeds.
    const run = await runChore();
    expect(run.status).toBe('done');
    expect(calls).toBe(2);
    expect(await world.harness.store.chores.listRuns({ repository: 'acme/web' })).toHaveLength(1);
  }, 30_000);

  it('refuses a chore payload without its origin', async () => {
    const handler = createChoreAgentRunHandler({
      runWork: async () => ending(),
      store: world.harness.store,
      github: world.api,
    });
    await expect(handler({ version: 1, source: 'chore', prompt: 'x' }, {} as never)).rejects.toMatchObject({
      code: 'invalid_input',
    });
  });
});

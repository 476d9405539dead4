/**
 * Chore schedules on a real Redis: a repository's chores become BullMQ job schedulers, a changed
 * file updates them, removed chores are unscheduled, and a scheduled job runs on an ordinary Loom
 * worker with a run of its own.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import type { ChoreDefinition } from '../../src/chores/index.js';
import { nextRunTimes } from '../../src/chores/index.js';
import { createAgentRunProcessor } from '../../queue/processors/agent-run-processor.js';
import { choreSchedulerId, listChoreSchedules, reconcileChoreSchedules } from '../../queue/chores/index.js';
import type { AgentRunPayload } from '../../queue/index.js';
import { createQueueHarness, type QueueHarness } from '../queue/support/queue-harness.js';
import { waitFor } from '../queue/support/wait-for.js';

const chore = (name: string, overrides: Partial<ChoreDefinition> = {}): ChoreDefinition => ({
  name,
  schedule: '0 7 * * 1',
  timezone: undefined,
  prompt: `run ${name}`,
  budgetUsd: 3,
  labels: ['chore'],
  reviewers: [],
  slackChannel: undefined,
  ...overrides,
});

let harness: QueueHarness;
let queue: Queue;

beforeEach(async () => {
  harness = await createQueueHarness('chores');
  queue = await harness.producer();
});

afterEach(async () => {
  await harness.cleanup();
});

const reconcile = (repository: string, chores: ChoreDefinition[]) =>
  reconcileChoreSchedules({ queue, repository, installationId: 42, chores });

describe('reconcileChoreSchedules', () => {
  it('creates one scheduler per chore whose template is the chore’s agent-run payload', async () => {
    const before = Date.now();
    const result = await reconcile('acme/web', [chore('deps', { timezone: 'Europe/Berlin' }), chore('docs')]);
    expect(result).toEqual({ upserted: ['deps', 'docs'], unchanged: [], removed: [] });
    const scheduler = await queue.getJobScheduler(choreSchedulerId('acme/web', 'deps'));
    expect(scheduler).toMatchObject({ pattern: '0 7 * * 1', tz: 'Europe/Berlin', name: 'agent-run' });
    expect(scheduler?.template?.data).toMatchObject({
      version: 1,
      source: 'chore',
      prompt: 'run deps',
      repository: 'acme/web',
      budgetUsd: 3,
      chore: {
        installationId: 42,
        owner: 'acme',
        repo: 'web',
        name: 'deps',
        labels: ['chore'],
        trigger: 'scheduled',
      },
    });
    expect(scheduler?.template?.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential' } });
    const listed = await listChoreSchedules(queue, 'acme/web');
    expect(listed.map((schedule) => schedule.name)).toEqual(['deps', 'docs']);
    const expectedNext = nextRunTimes('0 7 * * 1', 'Europe/Berlin', new Date(before))[0];
    expect(listed[0]?.next?.toISOString()).toBe(expectedNext?.toISOString());
  });

  it('leaves unchanged chores alone, updates changed ones and removes deleted ones', async () => {
    await reconcile('acme/web', [chore('deps'), chore('docs'), chore('lint')]);
    await reconcile('acme/other', [chore('deps')]);
    const docsJobsBefore = (await queue.getDelayed()).filter((job) => job.id?.includes('acme/web/docs'));
    expect(docsJobsBefore).toHaveLength(1);

    const result = await reconcile('acme/web', [
      chore('deps'),
      chore('lint', { schedule: '30 6 * * *', prompt: 'lint it' }),
    ]);
    expect(result).toEqual({ upserted: ['lint'], unchanged: ['deps'], removed: ['docs'] });
    expect(await queue.getJobScheduler(choreSchedulerId('acme/web', 'docs'))).toBeUndefined();
    const lint = await queue.getJobScheduler(choreSchedulerId('acme/web', 'lint'));
    expect(lint?.pattern).toBe('30 6 * * *');
    expect(lint?.template?.data).toMatchObject({ prompt: 'lint it' });
    // The removed chore's pending job is gone with its scheduler; other repositories are untouched.
    const delayedIds = (await queue.getDelayed()).map((job) => job.id ?? '');
    expect(delayedIds.some((id) => id.includes('acme/web/docs'))).toBe(false);
    expect(
      (await listChoreSchedules(queue)).map((schedule) => `${schedule.repository}:${schedule.name}`),
    ).toEqual(['acme/other:deps', 'acme/web:deps', 'acme/web:lint']);

    expect(await reconcile('acme/web', [])).toEqual({
      upserted: [],
      unchanged: [],
      removed: ['deps', 'lint'],
    });
    expect(await listChoreSchedules(queue, 'acme/web')).toEqual([]);
  });

  it('a scheduled job runs on a Loom worker as an ordinary agent-run with its own run', async () => {
    await reconcile('acme/web', [chore('deps')]);
    const seen: Array<{ payload: AgentRunPayload; runId: string; jobId: string }> = [];
    harness.worker({
      processors: {
        'agent-run': createAgentRunProcessor({
          handlers: {
            chore: async (payload, context) => {
              seen.push({ payload, runId: context.runId, jobId: context.jobId });
              return { status: 'answered' };
            },
          },
        }),
      },
    });
    const [scheduled] = await queue.getDelayed();
    expect(scheduled?.id).toMatch(/^repeat:chore\/acme\/web\/deps:\d+$/);
    await scheduled?.promote();
    const run = await waitFor(
      async () => {
        const found = await harness.store.runs.getByJobId(scheduled?.id ?? '');
        return found?.status === 'done' ? found : undefined;
      },
      { what: 'the scheduled run to finish' },
    );
    expect(run.id).toBe(`R-${scheduled?.id}`);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.payload.chore).toMatchObject({ name: 'deps', trigger: 'scheduled' });
    // The scheduler queued its next occurrence as the run started.
    const next = await waitFor(async () =>
      (await queue.getDelayed()).find((job) => job.id !== scheduled?.id),
    );
    expect(next.id).toMatch(/^repeat:chore\/acme\/web\/deps:\d+$/);
  });
});

/**
 * The chores part of the store contract (synced chores, chore runs, dashboard issues), run against
 * both adapters from store-contract.ts. Each test uses a repository of its own.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChoreDefinition } from '../../src/chores/index.js';
import { isLoomError } from '../../src/errors/index.js';
import type { Store } from '../../src/store/index.js';

const chore = (name: string, overrides: Partial<ChoreDefinition> = {}): ChoreDefinition => ({
  name,
  schedule: '0 7 * * 1',
  timezone: undefined,
  prompt: `do ${name}`,
  budgetUsd: undefined,
  labels: [],
  reviewers: [],
  slackChannel: undefined,
  ...overrides,
});

const newRepository = () => `acme/${randomUUID()}`;

export function describeChoresContract(
  getHarness: () => { store: Store; openAnother: () => Promise<Store> },
) {
  describe('chores', () => {
    const chores = () => getHarness().store.chores;

    it('replaces a repository’s chores: adds, changes and removes, keeping every field', async () => {
      const repository = newRepository();
      const first = await chores().replaceChores(repository, 7, [
        chore('deps', { timezone: 'Europe/Berlin', budgetUsd: 2.5, labels: ['chore'], reviewers: ['alice'] }),
        chore('docs', { slackChannel: 'C123' }),
      ]);
      expect(first).toEqual({ added: ['deps', 'docs'], changed: [], removed: [] });
      expect(await chores().getChore(repository, 'deps')).toMatchObject({
        repository,
        installationId: 7,
        timezone: 'Europe/Berlin',
        budgetUsd: 2.5,
        labels: ['chore'],
        reviewers: ['alice'],
      });
      const second = await chores().replaceChores(repository, 7, [
        chore('deps', { timezone: 'Europe/Berlin', budgetUsd: 2.5, labels: ['chore'], reviewers: ['alice'] }),
        chore('lint', { schedule: '@daily' }),
      ]);
      expect(second).toEqual({ added: ['lint'], changed: [], removed: ['docs'] });
      const third = await chores().replaceChores(repository, 7, [
        chore('deps'),
        chore('lint', { schedule: '@daily' }),
      ]);
      expect(third).toEqual({ added: [], changed: ['deps'], removed: [] });
      expect((await chores().listChores(repository)).map((stored) => stored.name)).toEqual(['deps', 'lint']);
      expect((await chores().listChores()).some((stored) => stored.repository === repository)).toBe(true);
    });

    it('records a run once, moves it to running on a retry, and keeps a finished outcome', async () => {
      const repository = newRepository();
      const runId = `R-${randomUUID()}`;
      const base = {
        runId,
        jobId: runId.slice(2),
        repository,
        choreName: 'deps',
        trigger: 'manual' as const,
      };
      expect((await chores().recordRun({ ...base, status: 'queued' })).status).toBe('queued');
      const running = await chores().recordRun({ ...base, status: 'running' });
      expect(running.status).toBe('running');
      expect(running.startedAt).toBeInstanceOf(Date);
      const finished = await chores().finishRun(runId, {
        status: 'done',
        pullRequest: { number: 12, url: 'https://ghe.test/acme/x/pull/12' },
        costUsd: 0.42,
        turns: 3,
      });
      expect(finished).toMatchObject({ status: 'done', pullRequestNumber: 12, costUsd: 0.42, turns: 3 });
      expect(finished.finishedAt).toBeInstanceOf(Date);
      // A late duplicate start (a stalled attempt) does not reopen the finished run.
      expect(
        (await (await getHarness().openAnother()).chores.recordRun({ ...base, status: 'running' })).status,
      ).toBe('done');
    });

    it('lists runs newest first, per chore', async () => {
      const repository = newRepository();
      for (const [index, name] of ['a', 'b', 'a'].entries()) {
        await chores().recordRun({
          runId: `R-${index}-${randomUUID()}`,
          jobId: `j-${index}-${randomUUID()}`,
          repository,
          choreName: name,
          trigger: 'scheduled',
          status: 'running',
        });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const runs = await chores().listRuns({ repository, choreName: 'a' });
      expect(runs.map((run) => run.runId.slice(0, 4))).toEqual(['R-2-', 'R-0-']);
      expect(await chores().listRuns({ repository, limit: 1 })).toHaveLength(1);
    });

    it('finishing an unknown run is not_found', async () => {
      const error = await chores()
        .finishRun(`R-${randomUUID()}`, { status: 'failed', costUsd: 0, turns: 0 })
        .catch((caught: unknown) => caught);
      expect(isLoomError(error, 'not_found')).toBe(true);
    });

    it('claims one dashboard issue per repository: the first writer wins', async () => {
      const repository = newRepository();
      expect(await chores().getDashboardIssue(repository)).toBeUndefined();
      const other = await getHarness().openAnother();
      expect(await chores().claimDashboardIssue(repository, 5)).toBe(5);
      expect(await other.chores.claimDashboardIssue(repository, 6)).toBe(5);
      await chores().forgetDashboardIssue(repository);
      expect(await other.chores.claimDashboardIssue(repository, 6)).toBe(6);
    });
  });
}

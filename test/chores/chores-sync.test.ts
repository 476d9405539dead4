/**
 * `.loom/chores.yml` from GitHub to schedules on a real Redis: a valid file schedules its chores and
 * a dashboard issue lists them; an invalid one changes nothing and gets a failing check run naming
 * the line; a removed file unschedules; start-up reconcile does the same for every installation.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Queue } from 'bullmq';
import { createChoresSyncProcessor, reconcileAllChores } from '../../bots/github/chores/index.js';
import { createSilentLogger } from '../../src/logging/index.js';
import { listChoreSchedules } from '../../queue/chores/index.js';
import type { JobContext } from '../../queue/index.js';
import { createChoresWorld, installationId, type ChoresWorld } from './support/chores-world.js';

const validFile = `chores:
  - name: deps
    schedule: "0 7 * * 1"
    timezone: Europe/Berlin
    prompt: Update the dev dependencies and fix what breaks.
    budget: $3
  - name: docs
    schedule: "@daily"
    prompt: Fix documentation that drifted from the code.
`;
const headSha = 'a'.repeat(40);

let world: ChoresWorld;
let queue: Queue;

beforeEach(async () => {
  world = await createChoresWorld('chores-sync');
  queue = await world.harness.producer();
});
afterEach(async () => {
  await world.cleanup();
});

function context(): JobContext {
  return {
    jobId: 'sync-1',
    runId: 'R-sync-1',
    jobName: 'chores-sync',
    attempt: 1,
    failedAttempts: 0,
    progress: {},
    saveProgress: async () => undefined,
    signal: new AbortController().signal,
    logger: createSilentLogger(),
  };
}

const sync = (extra: { headSha?: string; mode?: 'sync' | 'remove' } = {}) =>
  createChoresSyncProcessor({ github: world.api, queue, store: world.harness.store })(
    {
      version: 1,
      installationId,
      mode: extra.mode ?? 'sync',
      repositories: ['acme/web'],
      ...(extra.headSha ? { headSha: extra.headSha } : {}),
    },
    context(),
  );

describe('chores-sync', () => {
  it('schedules the chores of a valid file and lists them on one dashboard issue', async () => {
    world.fake.files.set('.loom/chores.yml', validFile);
    expect(await sync({ headSha })).toEqual({ results: { 'acme/web': 'synced' } });
    const schedules = await listChoreSchedules(queue, 'acme/web');
    expect(schedules.map((schedule) => [schedule.name, schedule.pattern, schedule.timezone])).toEqual([
      ['deps', '0 7 * * 1', 'Europe/Berlin'],
      ['docs', '@daily', undefined],
    ]);
    expect((await world.harness.store.chores.listChores('acme/web')).map((chore) => chore.budgetUsd)).toEqual(
      [3, undefined],
    );
    expect(world.fake.issues).toHaveLength(1);
    expect(world.fake.issues[0]?.title).toBe('Loom chores');
    expect(world.fake.issues[0]?.body).toMatch(/`deps` \| `0 7 \* \* 1` \(Europe\/Berlin\)/);
    expect(world.fake.github.checkRuns).toEqual([]);
  });

  it('an invalid file changes nothing and gets a failing check run naming the line', async () => {
    world.fake.files.set('.loom/chores.yml', validFile);
    await sync();
    world.fake.files.set('.loom/chores.yml', validFile.replace('"@daily"', '"0 0 32 * *"'));
    expect(await sync({ headSha })).toEqual({ results: { 'acme/web': 'invalid' } });
    expect(
      (await listChoreSchedules(queue, 'acme/web')).find((schedule) => schedule.name === 'docs')?.pattern,
    ).toBe('@daily');
    expect(world.fake.github.checkRuns).toHaveLength(1);
    const check = world.fake.github.checkRuns[0] as {
      name: string;
      head_sha: string;
      conclusion: string;
      output: { title: string; text: string; annotations: Array<{ path: string; start_line: number }> };
    };
    expect(check).toMatchObject({ name: 'Loom chores', head_sha: headSha, conclusion: 'failure' });
    expect(check.output.title).toBe('.loom/chores.yml is invalid (line 8)');
    expect(check.output.text).toMatch(/\.loom\/chores\.yml:8:15 \(docs\.schedule\)/);
    expect(check.output.annotations).toEqual([
      expect.objectContaining({ path: '.loom/chores.yml', start_line: 8 }),
    ]);
  });

  it('a removed file unschedules every chore; remove mode does too', async () => {
    world.fake.files.set('.loom/chores.yml', validFile);
    await sync();
    world.fake.files.delete('.loom/chores.yml');
    await sync();
    expect(await listChoreSchedules(queue, 'acme/web')).toEqual([]);
    expect(await world.harness.store.chores.listChores('acme/web')).toEqual([]);
    expect(world.fake.issues[0]?.body).toMatch(/No chores are scheduled/);
    world.fake.files.set('.loom/chores.yml', validFile);
    await sync();
    expect(await sync({ mode: 'remove' })).toEqual({ removed: { 'acme/web': ['deps', 'docs'] } });
    expect(await listChoreSchedules(queue, 'acme/web')).toEqual([]);
  });
});

describe('reconcileAllChores (start-up)', () => {
  it('syncs every installation’s repositories and unschedules repositories no longer reached', async () => {
    world.fake.files.set('.loom/chores.yml', validFile);
    // A repository the app lost access to while Loom was down.
    await world.harness.store.chores.replaceChores('acme/gone', 5, [
      {
        name: 'x',
        schedule: '@daily',
        timezone: undefined,
        prompt: 'p',
        budgetUsd: undefined,
        labels: [],
        reviewers: [],
        slackChannel: undefined,
      },
    ]);
    const report = await reconcileAllChores({
      github: world.api,
      queue,
      store: world.harness.store,
      logger: createSilentLogger(),
    });
    expect(report).toEqual({ synced: ['acme/web'], invalid: [], failed: [], removed: ['acme/gone'] });
    expect(
      (await listChoreSchedules(queue)).map((schedule) => `${schedule.repository} ${schedule.name}`),
    ).toEqual(['acme/web deps', 'acme/web docs']);
  });

  it('logs and skips failures instead of throwing', async () => {
    world.fake.github.faults.push({ method: 'GET', path: /^\/app\/installations$/, status: 500, times: 1 });
    await expect(
      reconcileAllChores({
        github: world.api,
        queue,
        store: world.harness.store,
        logger: createSilentLogger(),
      }),
    ).resolves.toEqual({ synced: [], invalid: [], failed: [], removed: [] });
  });
});

/**
 * The usage report on both adapters: calls, failed calls, tokens (cached ones apart) and cost summed per subject, per
 * model and per job over `[since, until)`, dearest first, optionally for one subject.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../src/proxy/index.js';
import { usageEventFixture } from '../../src/proxy/usage-event-fixture.js';
import {
  openPostgresTestStore,
  openSqliteTestStore,
  postgresReachable,
  type OpenedStore,
} from './support/open-test-stores.js';

const postgresUp = await postgresReachable();
if (!postgresUp && process.env.CI) throw new Error('PostgreSQL is not reachable at LOOM_TEST_DATABASE_URL');

const day = (n: number, hour = 12): Date => new Date(Date.UTC(2026, 10, n, hour));

/** One call of alice on `jti-a` for $1 on 10 November, unless overridden. */
const event = (overrides: Partial<UsageEvent>): UsageEvent =>
  usageEventFixture('jti-a', 1, {
    at: day(10),
    model: 'claude-sonnet-4-6',
    inputTokens: 100,
    outputTokens: 10,
    ...overrides,
  });

const counts = (
  calls: number,
  failedCalls: number,
  inputTokens: number,
  cacheReadTokens: number,
  cacheWriteTokens: number,
  outputTokens: number,
) => ({ calls, failedCalls, inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens });

describe.each([
  ['sqlite', openSqliteTestStore, true],
  ['postgres', openPostgresTestStore, postgresUp],
] as const)('usage report on %s', (_name, open, available) => {
  let opened: OpenedStore;
  beforeAll(async () => {
    if (!available) return;
    opened = await open();
    await opened.store.usage.recordMany([
      event({ jobId: 'job-1', costUsd: 0.25, cacheReadTokens: 60 }),
      event({ jobId: 'job-1', costUsd: 0.5, status: 'error', errorCode: 'timeout', outputTokens: 0 }),
      event({ provider: 'openai', model: 'gpt-4.1', costUsd: 2 }),
      event({
        subject: 'bob',
        jobId: 'job-2',
        costUsd: 4,
        inputTokens: 1000,
        cacheReadTokens: 800,
        cacheWriteTokens: 100,
        outputTokens: 100,
      }),
      // Outside the window on either side: the start is inclusive, the end exclusive.
      event({ at: new Date(Date.UTC(2026, 9, 31, 23, 59)), costUsd: 100 }),
      event({ subject: 'bob', at: day(20, 0), costUsd: 100 }),
      event({ subject: 'carol', at: day(1, 0), costUsd: 8 }),
    ]);
  });
  afterAll(async () => {
    await opened?.cleanup();
  });
  const window = { since: day(1, 0), until: day(20, 0) };

  it.runIf(available)('sums per subject, dearest first, failed calls counted apart', async () => {
    expect(await opened.store.usage.report({ ...window, by: 'subject' })).toEqual([
      { key: 'carol', ...counts(1, 0, 100, 0, 0, 10), costUsd: 8 },
      { key: 'bob', ...counts(1, 0, 1000, 800, 100, 100), costUsd: 4 },
      { key: 'alice', ...counts(3, 1, 300, 60, 0, 20), costUsd: 2.75 },
    ]);
  });

  it.runIf(available)('sums per model and per job, and for one subject only', async () => {
    const byModel = await opened.store.usage.report({ ...window, by: 'model', subject: 'alice' });
    expect(byModel.map((row) => [row.key, row.calls, row.costUsd])).toEqual([
      ['openai/gpt-4.1', 1, 2],
      ['anthropic/claude-sonnet-4-6', 2, 0.75],
    ]);
    const byJob = await opened.store.usage.report({ ...window, by: 'job' });
    expect(byJob.map((row) => [row.key, row.calls, row.costUsd])).toEqual([
      ['-', 2, 10],
      ['job-2', 1, 4],
      ['job-1', 2, 0.75],
    ]);
    expect(await opened.store.usage.report({ ...window, by: 'subject', subject: 'nobody' })).toEqual([]);
  });
});

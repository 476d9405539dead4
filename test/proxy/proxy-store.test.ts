/**
 * The proxy's store repositories (usage ledger, revocation list) on both adapters, and the proxy
 * running on a real store: metering rows, budgets enforced mid-run, revocation shared through the DB.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { validate, version } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageEvent } from '../../src/proxy/index.js';
import { usageEventFixture } from '../../src/proxy/usage-event-fixture.js';
import { createProxyLlmClient } from '../../src/proxy/index.js';
import { sqliteFileName } from '../../src/store/sqlite/open-sqlite-database.js';
import type { LlmStreamEvent } from '../../src/llm/index.js';
import { normalAnswer, startFakeProvider, type FakeProvider } from './support/fake-provider.js';
import {
  openPostgresTestStore,
  openSqliteTestStore,
  postgresReachable,
  type OpenedStore,
} from './support/open-test-stores.js';
import { postJson, readLlmEvents, startProxy, type ProxyHarness } from './support/start-proxy.js';
import { waitFor } from '../queue/support/wait-for.js';

const postgresUp = await postgresReachable();
if (!postgresUp && process.env.CI) throw new Error('PostgreSQL is not reachable at LOOM_TEST_DATABASE_URL');
if (!postgresUp)
  console.warn('PostgreSQL not reachable: skipping the PostgreSQL half of proxy-store.test.ts');

const event = (overrides: Partial<UsageEvent> = {}): UsageEvent =>
  usageEventFixture(`jti-${Math.random().toString(36).slice(2)}`, 0.00105, {
    at: new Date('2025-01-02T03:04:05.678Z'),
    jobId: 'job-1',
    model: 'claude-sonnet-4-6',
    inputTokens: 100,
    cacheReadTokens: 70,
    cacheWriteTokens: 20,
    outputTokens: 50,
    latencyMs: 812,
    ...overrides,
  });

describe.each([
  ['sqlite', openSqliteTestStore, true],
  ['postgres', openPostgresTestStore, postgresUp],
] as const)('proxy repositories on %s', (_name, open, available) => {
  let opened: OpenedStore;
  beforeAll(async () => {
    if (available) opened = await open();
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it.runIf(available)('records usage events and sums spend per token and per subject', async () => {
    const usage = opened.store.usage;
    const first = event();
    await usage.record(first);
    await usage.record(
      event({
        tokenId: first.tokenId,
        costUsd: 0.5,
        status: 'error',
        errorCode: 'timeout',
        jobId: undefined,
      }),
    );
    await usage.record(event({ subject: 'bob', costUsd: 7 }));
    expect(await usage.spentUsd({ tokenId: first.tokenId })).toBeCloseTo(0.50105, 10);
    expect(await usage.spentUsd({ subject: 'alice' })).toBeCloseTo(0.50105, 10);
    expect(await usage.spentUsd({ tokenId: 'never-used' })).toBe(0);
    const listed = await usage.list({ tokenId: first.tokenId });
    expect(listed[0]).toEqual(first);
    expect(listed[1]).toMatchObject({ status: 'error', errorCode: 'timeout', jobId: undefined });
  });

  it.runIf(available)(
    'keeps each token and subject its running total across mixed and concurrent batches',
    async () => {
      const usage = opened.store.usage as typeof opened.store.usage & {
        recordMany(events: UsageEvent[]): Promise<void>;
      };
      const [one, two] = [`jti-${Math.random()}`, `jti-${Math.random()}`];
      const [carol, dave] = [`carol-${Math.random()}`, `dave-${Math.random()}`];
      await usage.recordMany([
        event({ tokenId: one, subject: carol, costUsd: 0.5 }),
        event({ tokenId: two, subject: dave, costUsd: 2 }),
        event({ tokenId: one, subject: carol, costUsd: 0.25 }),
        event({ tokenId: two, subject: carol, costUsd: 4 }),
      ]);
      // Ten batches at once, all on the same rows: none of the increments may be lost.
      await Promise.all(
        Array.from({ length: 10 }, () =>
          usage.recordMany([
            event({ tokenId: one, subject: carol, costUsd: 1 }),
            event({ tokenId: two, subject: dave, costUsd: 1 }),
          ]),
        ),
      );
      expect(await usage.spentUsd({ tokenId: one })).toBeCloseTo(10.75, 10);
      expect(await usage.spentUsd({ tokenId: two })).toBeCloseTo(16, 10);
      expect(await usage.spentUsd({ subject: carol })).toBeCloseTo(14.75, 10);
      expect(await usage.spentUsd({ subject: dave })).toBeCloseTo(12, 10);
    },
  );

  it.runIf(available)(
    'writes the 10 000 events an outage kept in one go (more than PostgreSQL takes in one statement)',
    async () => {
      const token = `jti-${Math.random()}`;
      const subject = `erin-${Math.random()}`;
      const backlog = Array.from({ length: 10_000 }, (_, index) =>
        event({ tokenId: index % 2 === 0 ? token : `jti-${index}`, subject, costUsd: 0.001 }),
      );
      await opened.store.usage.recordMany(backlog);
      expect(await opened.store.usage.spentUsd({ tokenId: token })).toBeCloseTo(5, 8);
      expect(await opened.store.usage.spentUsd({ subject })).toBeCloseTo(10, 8);
      expect(await opened.store.usage.list({ tokenId: token }, 10_000)).toHaveLength(5_000);
    },
  );

  it.runIf(available)('revokes by jti, idempotently', async () => {
    const revocations = opened.store.revocations;
    expect(await revocations.isRevoked('jti-a')).toBe(false);
    await revocations.revoke('jti-a', new Date(Date.now() + 60_000));
    await revocations.revoke('jti-a', new Date(Date.now() + 120_000));
    expect(await revocations.isRevoked('jti-a')).toBe(true);
    expect(await revocations.isRevoked('jti-b')).toBe(false);
  });
});

describe('usage event ids', () => {
  it('are UUIDv7 in the order the events were written, so inserts append to the primary key', async () => {
    const opened = await openSqliteTestStore();
    try {
      const usage = opened.store.usage;
      await usage.recordMany([event(), event(), event()]);
      await usage.recordMany([event(), event()]);
      const database = new Database(join(opened.dataDir, sqliteFileName), { readonly: true });
      const ids = database
        .prepare('select id from usage_events order by rowid')
        .all()
        .map((row) => (row as { id: string }).id);
      database.close();
      expect(ids).toHaveLength(5);
      for (const id of ids) expect(validate(id) && version(id)).toBe(7);
      expect([...ids].sort()).toEqual(ids);
    } finally {
      await opened.cleanup();
    }
  });
});

describe('the proxy on a real SQLite store', () => {
  let provider: FakeProvider;
  let proxy: ProxyHarness;
  let opened: OpenedStore;
  beforeAll(async () => {
    provider = await startFakeProvider();
    opened = await openSqliteTestStore();
    proxy = await startProxy({
      upstreamUrl: provider.url,
      usage: opened.store.usage,
      revocations: opened.store.revocations,
    });
  });
  afterAll(async () => {
    await proxy.close();
    await provider.close();
    await opened.cleanup();
  });

  it('lets a stream that crosses the budget finish, then refuses the next call with 402 budget_exceeded', async () => {
    // claude-sonnet-4-6 costs $3 / $15 per million tokens: 100 in + 100 out = $0.0018 a call.
    const minted = proxy.tokens.mint({
      subject: 'job-9',
      role: 'job',
      jobId: 'job-9',
      ttlSeconds: 600,
      budgetUsd: 0.002,
    });
    const headers = { authorization: `Bearer ${minted.token}` };
    const request = { model: 'default', messages: [{ role: 'user', content: 'work' }] };
    for (let call = 0; call < 2; call += 1) {
      provider.enqueue(normalAnswer({ inputTokens: 100, outputTokens: 100, delayMs: 5 }));
      const events = await readLlmEvents(
        await postJson(`${proxy.url}/proxy/anthropic/stream`, request, headers),
      );
      expect(events.at(-1)?.type).toBe('completed');
    }
    // Metering is written after the answer ends (by the store's usage-writer thread on SQLite).
    await waitFor(
      async () =>
        Math.abs((await opened.store.usage.spentUsd({ tokenId: minted.claims.jti })) - 0.0036) < 1e-10,
      { what: 'both calls to be metered' },
    );

    const refused = await postJson(`${proxy.url}/proxy/anthropic/stream`, request, headers);
    expect(refused.status).toBe(402);
    const body = (await refused.json()) as {
      error: { code: string; message: string; details: Record<string, number> };
    };
    expect(body.error.code).toBe('budget_exceeded');
    expect(body.error.message).toMatch(/budget of \$0\.002 is spent/);
    expect(body.error.details).toMatchObject({ budget_usd: 0.002 });
    expect(provider.requests).toHaveLength(2);

    // The agent loop's view, through the proxy client: a clear, final reason.
    const client = createProxyLlmClient({ baseUrl: proxy.url, token: minted.token, provider: 'anthropic' });
    const events: LlmStreamEvent[] = [];
    for await (const streamed of client.stream({
      model: 'default',
      messages: [{ role: 'user', content: 'more' }],
    }))
      events.push(streamed);
    expect(events).toEqual([
      {
        type: 'error',
        error: expect.objectContaining({ code: 'budget_exceeded', retryable: false, status: 402 }),
      },
    ]);
    expect(provider.requests).toHaveLength(2);
  });

  it('records subject, job, provider, model, tokens, cost, latency and status for each call', async () => {
    const minted = proxy.tokens.mint({ subject: 'carol', ttlSeconds: 600, jobId: 'job-meter' });
    provider.enqueue(normalAnswer({ inputTokens: 1000, outputTokens: 200 }));
    await postJson(
      `${proxy.url}/proxy/anthropic/complete`,
      { messages: [{ role: 'user', content: 'x' }] },
      { 'x-api-key': minted.token },
    );
    const rows = await waitFor(
      async () => {
        const listed = await opened.store.usage.list({ tokenId: minted.claims.jti });
        return listed.length > 0 && listed;
      },
      { what: 'the call to be metered' },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      subject: 'carol',
      jobId: 'job-meter',
      provider: 'anthropic',
      model: 'claude-sonnet-4-6',
      route: 'complete',
      inputTokens: 1000,
      outputTokens: 200,
      status: 'ok',
      httpStatus: 200,
    });
    expect(rows[0]?.costUsd).toBeCloseTo(0.006, 10);
    expect(rows[0]?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses a token revoked in the store', async () => {
    const minted = proxy.tokens.mint({ subject: 'job-done', role: 'job', ttlSeconds: 600 });
    await opened.store.revocations.revoke(minted.claims.jti, new Date(minted.claims.exp * 1000));
    const before = provider.requests.length;
    const response = await postJson(
      `${proxy.url}/proxy/anthropic/complete`,
      { messages: [{ role: 'user', content: 'x' }] },
      {
        'x-api-key': minted.token,
      },
    );
    expect(response.status).toBe(401);
    expect(provider.requests).toHaveLength(before);
  });
});

/**
 * RELIABILITY 34 for threads: PostgreSQL cut off (a TCP proxy stopped and restarted in front of the
 * real server) while appends are in flight. A direct write fails with a retryable error (reported,
 * not swallowed); `appendToThread` retries until the database is back, and every message lands
 * exactly once, even when an attempt committed but its answer was lost.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoomError } from '../../src/errors/index.js';
import { openStore } from '../../src/store/index.js';
import { appendToThread, type ThreadRepository } from '../../src/threads/index.js';
import { TcpProxy } from '../store/support/tcp-proxy.js';
import {
  adminUrl,
  createTestDatabase,
  databaseUrl,
  dropTestDatabase,
  postgresReachable,
} from '../support/postgres-test-database.js';

const reachable = await postgresReachable();
if (!reachable && !process.env.CI)
  console.warn('[threads] SKIPPING the PostgreSQL outage test: no PostgreSQL');
const describeWithPostgres = reachable || process.env.CI ? describe : describe.skip;

/** The real repository with its `appendMessages` wrapped (a fault at the port, not a mock of it). */
function withAppendMessages(
  real: ThreadRepository,
  appendMessages: ThreadRepository['appendMessages'],
): ThreadRepository {
  return new Proxy(real, {
    get(target, property) {
      if (property === 'appendMessages') return appendMessages;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const fastRetries = { attempts: 200, backoffMs: () => 50 };

describeWithPostgres('threads when PostgreSQL goes away mid-write', () => {
  let database = '';
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    if (database !== '') await dropTestDatabase(database);
  });

  it('reports direct writes as retryable and lands every retried append exactly once', async () => {
    const admin = new URL(adminUrl);
    const proxy = new TcpProxy(admin.hostname, Number(admin.port || 5432));
    await proxy.start();
    const store = await openStore({ dataDir: '', databaseUrl: databaseUrl(database, proxy.port) });
    try {
      const thread = await store.threads.create({ title: 'outage', owner: 'o' });
      const contents = Array.from({ length: 16 }, (_, index) => `message ${index} ${randomUUID()}`);
      const appends = contents.map((content) =>
        appendToThread(
          store.threads,
          thread.id,
          [{ role: 'user', content }],
          (current) => ({ turns: current.turns + 1 }),
          fastRetries,
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 30));
      await proxy.stop();
      const direct = store.threads.appendMessages(thread.id, 1, [
        { role: 'user', content: 'during the outage' },
      ]);
      await expect(direct).rejects.toMatchObject({ code: 'dependency_unavailable', retryable: true });
      await new Promise((resolve) => setTimeout(resolve, 700));
      await proxy.start();

      await Promise.all(appends);
      const final = await store.threads.get(thread.id);
      expect(final?.messages.map((message) => message.content).sort()).toEqual([...contents].sort());
      expect(final).toMatchObject({ version: 17, messageCount: 16, turns: 16 });
      expect(final?.messages.map((message) => message.seq)).toEqual([...Array(16).keys()]);
    } finally {
      await store.close();
      await proxy.stop();
    }
  }, 60_000);
});

describe('appendToThread when a write commits but its answer is lost', () => {
  it('recognizes its own write on the retry instead of appending twice', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'loom-threads-lost-'));
    const store = await openStore({ dataDir });
    try {
      const thread = await store.threads.create({ title: 't', owner: 'o' });
      let lost = 0;
      // The real repository, whose first append commits and then "loses the connection".
      const losing = withAppendMessages(store.threads, async (...args) => {
        const written = await store.threads.appendMessages(...args);
        if (lost++ === 0) throw new LoomError('dependency_unavailable', 'connection terminated');
        return written;
      });
      const result = await appendToThread(
        losing,
        thread.id,
        [{ role: 'user', content: 'once' }],
        {},
        fastRetries,
      );
      expect(lost).toBe(2);
      expect(result).toMatchObject({ version: 2, messageCount: 1 });
      // A non-retryable failure is thrown, not retried.
      const failing = withAppendMessages(store.threads, () =>
        Promise.reject(new LoomError('invalid_input', 'bad message')),
      );
      await expect(appendToThread(failing, thread.id, [], {}, fastRetries)).rejects.toMatchObject({
        code: 'invalid_input',
      });
      await expect(appendToThread(store.threads, `T-${randomUUID()}`, [])).rejects.toMatchObject({
        code: 'not_found',
      });
    } finally {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

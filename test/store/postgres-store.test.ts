import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { loomMigrations } from '../../src/store/migrations/index.js';
import {
  adminUrl,
  createTestDatabase,
  dropTestDatabase,
  postgresReachable,
  withAdmin,
} from '../support/postgres-test-database.js';
import { captureLogger } from './support/capture-logger.js';
import { closedPort } from './support/closed-port.js';
import { describeStoreContract, expectLoomError, type StoreHarness } from './store-contract.js';
import { TcpProxy } from './support/tcp-proxy.js';

const admin = new URL(adminUrl);
const reachable = await postgresReachable();
const createDatabase = () => createTestDatabase();
const dropDatabase = dropTestDatabase;

function urlOf(database: string, overrides: { port?: number; password?: string } = {}): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  if (overrides.port !== undefined) {
    url.hostname = '127.0.0.1';
    url.port = String(overrides.port);
  }
  if (overrides.password !== undefined) url.password = overrides.password;
  return url.toString();
}

async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

if (!reachable && process.env.CI) {
  describe('postgres store', () => {
    it('needs a reachable PostgreSQL in CI', () => {
      expect.fail(`PostgreSQL at ${admin.host} is not reachable: CI must test the PostgreSQL adapter`);
    });
  });
} else if (!reachable) {
  console.warn(
    `[store] SKIPPING the PostgreSQL store tests: nothing answers at ${admin.host} ` +
      '(set LOOM_TEST_DATABASE_URL, or start PostgreSQL; in CI these tests fail instead).',
  );
  describe.skip('postgres store (PostgreSQL not reachable)', () => {
    it('runs the store contract', () => undefined);
  });
} else {
  let databaseName = '';
  beforeAll(async () => {
    databaseName = await createDatabase();
  });
  afterAll(async () => {
    if (databaseName !== '') await dropDatabase(databaseName);
  });

  const makePostgresStore = async (): Promise<StoreHarness> => {
    const opened: Store[] = [];
    const open = async () => {
      const store = await openStore({ dataDir: 'unused-by-postgres', databaseUrl: urlOf(databaseName) });
      opened.push(store);
      return store;
    };
    return {
      store: await open(),
      openAnother: open,
      cleanup: async () => {
        await Promise.all(opened.map((store) => store.close()));
      },
    };
  };

  describeStoreContract('postgres', makePostgresStore);
  describePostgresSpecifics(() => databaseName);
}

function describePostgresSpecifics(getDatabaseName: () => string): void {
  describe('postgres store', () => {
    it('migrates a fresh database once when several stores open it at once', async () => {
      const name = await createDatabase();
      try {
        const stores = await Promise.all(
          [1, 2, 3].map(() => openStore({ dataDir: '', databaseUrl: urlOf(name) })),
        );
        await Promise.all(stores.map((store) => store.close()));
        const { rows } = await withAdmin(async () => {
          const client = new pg.Client({ connectionString: urlOf(name) });
          await client.connect();
          try {
            return await client.query<{ name: string }>('select name from loom_migration order by name');
          } finally {
            await client.end();
          }
        });
        expect(rows.map((row) => row.name)).toEqual(Object.keys(loomMigrations).sort());
      } finally {
        await dropDatabase(name);
      }
    });

    it('stores dates as timestamptz and JSON as jsonb', async () => {
      const client = new pg.Client({ connectionString: urlOf(getDatabaseName()) });
      await client.connect();
      try {
        const { rows } = await client.query<{ column_name: string; data_type: string }>(
          "select column_name, data_type from information_schema.columns where table_name = 'runs'",
        );
        const types = Object.fromEntries(rows.map((row) => [row.column_name, row.data_type]));
        expect(types).toMatchObject({
          progress: 'jsonb',
          result: 'jsonb',
          created_at: 'timestamp with time zone',
          started_at: 'timestamp with time zone',
        });
      } finally {
        await client.end();
      }
    });

    it('fails to open with a retryable dependency_unavailable naming the target, never the password', async () => {
      const port = await closedPort();
      const databaseUrl = urlOf('loom', { port, password: 'hunter2-secret' });
      const error = await expectLoomError(openStore({ dataDir: '', databaseUrl }), 'dependency_unavailable');
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(`127.0.0.1:${port}/loom`);
      expect(JSON.stringify({ message: error.message, stack: error.stack })).not.toContain('hunter2-secret');
    });

    it('reports the database going down as dependency_unavailable, and works again once it is back', async () => {
      const proxy = new TcpProxy(admin.hostname, Number(admin.port || 5432));
      await proxy.start();
      const { logger, lines } = captureLogger();
      const store = await openStore({
        dataDir: '',
        databaseUrl: urlOf(getDatabaseName(), { port: proxy.port }),
        logger,
      });
      try {
        await store.ping();
        // Cut the connections while writes are in flight: each one lands or fails retryably, and
        // the errors pg emits on checked-out clients must not crash the process.
        const inFlight = Array.from({ length: 30 }, (_, index) =>
          store.requests.record({ deliveryId: `cut-${index}-${randomUUID()}`, source: 'github', kind: 'x' }),
        );
        await new Promise((resolve) => setImmediate(resolve));
        await proxy.stop();
        for (const outcome of await Promise.allSettled(inFlight)) {
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toMatchObject({ code: 'dependency_unavailable', retryable: true });
          }
        }
        const pingError = await expectLoomError(store.ping(), 'dependency_unavailable');
        expect(pingError.retryable).toBe(true);
        const deliveryId = `outage-${randomUUID()}`;
        const writeError = await expectLoomError(
          store.requests.record({ deliveryId, source: 'github', kind: 'x' }),
          'dependency_unavailable',
        );
        expect(writeError.retryable).toBe(true);
        expect(lines.some((line) => line.level === 40 && String(line.msg).includes('connection lost'))).toBe(
          true,
        );

        await proxy.start();
        await eventually(() => store.ping());
        expect((await store.requests.record({ deliveryId, source: 'github', kind: 'x' })).created).toBe(true);
      } finally {
        await store.close();
        await proxy.stop();
      }
    });

    it('logs a connection the server terminated, and carries on with a new one', async () => {
      const { logger, lines } = captureLogger();
      const store = await openStore({ dataDir: '', databaseUrl: urlOf(getDatabaseName()), logger });
      try {
        await store.ping();
        const terminated = await withAdmin((client) =>
          client.query(
            'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
            [getDatabaseName()],
          ),
        );
        expect(terminated.rowCount).toBeGreaterThan(0);
        await eventually(async () => {
          expect(
            lines.some((line) => line.level === 40 && String(line.msg).includes('connection lost')),
          ).toBe(true);
        });
        await eventually(() => store.ping());
        expect((await store.runs.list({ limit: 1 })).length).toBeLessThanOrEqual(1);
      } finally {
        await store.close();
      }
    });
  });
}

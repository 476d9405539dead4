/**
 * The Slack state tables (migration 0004) on both adapters: SQLite in a temp directory and PostgreSQL
 * in a uniquely named database (dropped afterwards).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { createTestDatabase, databaseUrl, dropTestDatabase } from '../support/postgres-test-database.js';

interface Adapter {
  name: string;
  open(): Promise<{ store: Store; cleanup(): Promise<void> }>;
}

const adapters: Adapter[] = [
  {
    name: 'sqlite',
    async open() {
      const dataDir = await mkdtemp(join(tmpdir(), 'loom-slack-state-'));
      const store = await openStore({ dataDir });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await rm(dataDir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    async open() {
      const database = await createTestDatabase('loom_test_slack');
      const store = await openStore({ dataDir: tmpdir(), databaseUrl: databaseUrl(database) });
      return {
        store,
        cleanup: async () => {
          await store.close();
          await dropTestDatabase(database);
        },
      };
    },
  },
];

describe.each(adapters)('Slack state repository on $name', (adapter) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await adapter.open());
  });
  afterAll(async () => {
    await cleanup?.();
  });

  it('binds a channel to a repository and replaces the binding', async () => {
    expect(await store.slack.getChannelBinding('T1', 'C1')).toBeUndefined();
    const first = await store.slack.bindChannel({
      teamId: 'T1',
      channelId: 'C1',
      repository: 'acme/web',
      setBy: 'U1',
    });
    expect(first).toMatchObject({ teamId: 'T1', channelId: 'C1', repository: 'acme/web', setBy: 'U1' });
    expect(first.updatedAt).toBeInstanceOf(Date);
    await store.slack.bindChannel({ teamId: 'T1', channelId: 'C1', repository: 'acme/api', setBy: 'U2' });
    expect(await store.slack.getChannelBinding('T1', 'C1')).toMatchObject({
      repository: 'acme/api',
      setBy: 'U2',
    });
    expect(await store.slack.getChannelBinding('T2', 'C1')).toBeUndefined();
  });

  it('remembers a thread, keeps its repository unless given, and sets or clears the pending prompt', async () => {
    const key = { teamId: 'T1', channelId: 'C1', threadTs: '1700000000.000100' };
    expect(await store.slack.getThread(key.teamId, key.channelId, key.threadTs)).toBeUndefined();
    await store.slack.rememberThread({ ...key, pendingPrompt: 'fix the login test' });
    expect(await store.slack.getThread(key.teamId, key.channelId, key.threadTs)).toMatchObject({
      repository: undefined,
      pendingPrompt: 'fix the login test',
    });
    await store.slack.rememberThread({ ...key, repository: 'acme/web', pendingPrompt: null });
    await store.slack.rememberThread(key);
    const thread = await store.slack.getThread(key.teamId, key.channelId, key.threadTs);
    expect(thread).toMatchObject({ ...key, repository: 'acme/web', pendingPrompt: undefined });
    expect(thread?.createdAt).toBeInstanceOf(Date);
  });

  it('records a request with its thread in one go; a duplicate writes no thread', async () => {
    const key = { teamId: 'T1', channelId: 'C2', threadTs: '1700000001.000100' };
    const request = { deliveryId: `EvThread${randomUUID()}`, source: 'slack' as const, kind: 'app_mention' };
    const first = await store.slack.recordRequestWithThread(request, { ...key, repository: 'acme/web' });
    expect(first).toMatchObject({
      created: true,
      request: { deliveryId: request.deliveryId, status: 'received' },
    });
    expect(await store.requests.get(request.deliveryId)).toMatchObject({ status: 'received' });
    expect(await store.slack.getThread(key.teamId, key.channelId, key.threadTs)).toMatchObject({
      repository: 'acme/web',
    });

    const again = await store.slack.recordRequestWithThread(request, { ...key, repository: 'acme/api' });
    expect(again).toMatchObject({ created: false, request: { deliveryId: request.deliveryId } });
    expect(await store.slack.getThread(key.teamId, key.channelId, key.threadTs)).toMatchObject({
      repository: 'acme/web',
    });
  });

  it('keeps a pending prompt when recording a request with its thread', async () => {
    const key = { teamId: 'T1', channelId: 'C3', threadTs: '1700000002.000100' };
    await store.slack.rememberThread({ ...key, pendingPrompt: 'fix the login test' });
    const request = { deliveryId: `EvPending${randomUUID()}`, source: 'slack' as const, kind: 'message' };
    await store.slack.recordRequestWithThread(request, { ...key, repository: 'acme/web' });
    expect(await store.slack.getThread(key.teamId, key.channelId, key.threadTs)).toMatchObject({
      repository: 'acme/web',
      pendingPrompt: 'fix the login test',
    });
  });

  it('records many concurrent events, each with its thread, and one winner per event id', async () => {
    const ids = Array.from({ length: 60 }, (_, index) => `EvMany${index}${randomUUID().slice(0, 8)}`);
    const attempts = [...ids, ...ids].map((deliveryId, index) =>
      store.slack.recordRequestWithThread(
        { deliveryId, source: 'slack', kind: 'app_mention' },
        {
          teamId: 'T9',
          channelId: 'C9',
          threadTs: `1700000100.${index % ids.length}`,
          repository: 'acme/web',
        },
      ),
    );
    const results = await Promise.all(attempts);
    for (const deliveryId of ids) {
      const mine = results.filter((result) => result.request.deliveryId === deliveryId);
      expect(mine.filter((result) => result.created)).toHaveLength(1);
      expect(mine).toHaveLength(2);
    }
    for (let index = 0; index < ids.length; index += 1) {
      expect(await store.slack.getThread('T9', 'C9', `1700000100.${index}`)).toMatchObject({
        repository: 'acme/web',
      });
    }
  });

  it('stores and replaces report state by key', async () => {
    expect(await store.slack.getReport('Ev1')).toBeUndefined();
    await store.slack.saveReport('Ev1', { statusTs: '1.1', reacted: true });
    await store.slack.saveReport('Ev1', { statusTs: '1.1', reacted: true, finalTs: '1.2' });
    expect(await store.slack.getReport('Ev1')).toEqual({ statusTs: '1.1', reacted: true, finalTs: '1.2' });
  });
});

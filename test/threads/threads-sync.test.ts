/**
 * REPL sync: local threads pushed to a real server over HTTP (PUT with If-None-Match / If-Match),
 * private threads never sent, a server-side change reported as a conflict and never overwritten, and a
 * push whose answer was lost counted once on the retry.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import { createThreadsClient, syncThreads } from '../../src/threads/index.js';
import { closedPort } from '../store/support/closed-port.js';
import { startThreadsServer, type ThreadsServer } from './support/start-threads-server.js';

let server: ThreadsServer;
let local: Store;
let localDir: string;
let requests: Array<{ method: string; url: string }>;

/** The real fetch, recording what crosses the wire. */
const recordingFetch: typeof fetch = async (input, init) => {
  requests.push({ method: init?.method ?? 'GET', url: String(input) });
  return fetch(input, init);
};

beforeEach(async () => {
  server = await startThreadsServer();
  localDir = await mkdtemp(join(tmpdir(), 'loom-threads-local-'));
  local = await openStore({ dataDir: localDir });
  requests = [];
});

afterEach(async () => {
  await local.close();
  await server.close();
  await rm(localDir, { recursive: true, force: true });
});

const client = (fetchImpl: typeof fetch = recordingFetch) =>
  createThreadsClient({ baseUrl: server.url, token: server.token('laptop-user'), fetch: fetchImpl });

describe('syncThreads', () => {
  it('pushes new and changed threads, and never a private one', async () => {
    const shared = await local.threads.create({
      title: 'refactor the parser',
      owner: 'me',
      sources: [{ kind: 'cli', session: 's1' }],
      messages: [{ role: 'user', content: 'refactor src/parser.ts' }],
    });
    const secret = await local.threads.create({
      title: 'my private notes',
      owner: 'me',
      visibility: 'private',
      messages: [{ role: 'user', content: 'the staging password rotation' }],
    });

    const first = await syncThreads({ local: local.threads, remote: client() });
    expect(first).toEqual({
      pushed: [{ id: shared.id, localVersion: 1, remoteVersion: 1 }],
      conflicts: [],
      failed: [],
    });
    expect(await server.store.threads.get(shared.id)).toMatchObject({
      owner: 'laptop-user',
      title: 'refactor the parser',
      messages: [{ seq: 0, content: 'refactor src/parser.ts' }],
    });
    expect(await server.store.threads.get(secret.id)).toBeUndefined();
    expect(requests.some((request) => request.url.includes(secret.id))).toBe(false);
    expect((await syncThreads({ local: local.threads, remote: client() })).pushed).toEqual([]);

    await local.threads.appendMessages(shared.id, 1, [{ role: 'assistant', content: 'done, see parser.ts' }]);
    const second = await syncThreads({ local: local.threads, remote: client() });
    expect(second.pushed).toEqual([{ id: shared.id, localVersion: 2, remoteVersion: 2 }]);
    expect((await server.store.threads.get(shared.id))?.messageCount).toBe(2);
    expect(requests.filter((request) => request.method === 'PUT')).toHaveLength(2);
    expect(requests.every((request) => !request.url.includes(secret.id))).toBe(true);
  });

  it('reports a thread changed on the server as a conflict and overwrites nothing', async () => {
    const thread = await local.threads.create({ title: 'local title', owner: 'me' });
    await syncThreads({ local: local.threads, remote: client() });
    await server.store.threads.update(thread.id, 1, { title: 'edited on the server' });
    await local.threads.appendMessages(thread.id, 1, [{ role: 'user', content: 'local only' }]);

    const report = await syncThreads({ local: local.threads, remote: client() });
    expect(report).toEqual({ pushed: [], conflicts: [thread.id], failed: [] });
    expect(await server.store.threads.get(thread.id)).toMatchObject({
      title: 'edited on the server',
      version: 2,
      messageCount: 0,
    });
    expect((await local.threads.listUnsynced()).map((unsynced) => unsynced.id)).toEqual([thread.id]);
    expect(await local.threads.remoteVersionOf(thread.id)).toBe(1);
  });

  it('counts a push whose answer was lost once, when the next sync repeats it', async () => {
    const thread = await local.threads.create({ title: 't', owner: 'me' });
    await syncThreads({ local: local.threads, remote: client() });
    await local.threads.appendMessages(thread.id, 1, [{ role: 'user', content: 'second' }]);
    const losingFetch: typeof fetch = async (input, init) => {
      await fetch(input, init); // the server applies it...
      throw new TypeError('fetch failed: socket hang up'); // ...but the answer never arrives
    };

    const lost = await syncThreads({ local: local.threads, remote: client(losingFetch) });
    expect(lost.failed.map((failure) => [failure.id, failure.error.code, failure.error.retryable])).toEqual([
      [thread.id, 'dependency_unavailable', true],
    ]);
    expect((await server.store.threads.get(thread.id))?.version).toBe(2);

    const retried = await syncThreads({ local: local.threads, remote: client() });
    expect(retried).toEqual({
      pushed: [{ id: thread.id, localVersion: 2, remoteVersion: 2 }],
      conflicts: [],
      failed: [],
    });
    expect(await server.store.threads.get(thread.id)).toMatchObject({ version: 2, messageCount: 1 });
  });

  it('reports an unreachable server or a refused token as failures and marks nothing synced', async () => {
    const thread = await local.threads.create({ title: 't', owner: 'me' });
    const down = createThreadsClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, token: 'x' });
    const unreachable = await syncThreads({ local: local.threads, remote: down });
    expect(unreachable.failed[0]?.error).toMatchObject({ code: 'dependency_unavailable', retryable: true });
    const refused = await syncThreads({
      local: local.threads,
      remote: createThreadsClient({ baseUrl: server.url, token: 'not-a-token' }),
    });
    expect(refused.failed[0]?.error).toMatchObject({ code: 'unauthorized', retryable: false });
    expect((await local.threads.listUnsynced()).map((unsynced) => unsynced.id)).toEqual([thread.id]);
  });
});

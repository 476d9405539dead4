/**
 * The threads API over real HTTP on loopback: bearer tokens from src/auth (admin reads all, a user
 * only its own, no token 401), listing, search, read, soft delete, and PUT with If-Match → 409.
 */
import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newThreadId, type ThreadContent } from '../../src/threads/index.js';
import {
  startThreadsServer,
  type ThreadsApiAnswer,
  type ThreadsServer,
} from './support/start-threads-server.js';

let server: ThreadsServer;
let aliceThread: string;
let bobThread: string;
const word = `zq${randomUUID()
  .replaceAll(/[^a-f]/g, '')
  .slice(0, 8)}word`;

beforeAll(async () => {
  server = await startThreadsServer();
  aliceThread = (
    await server.store.threads.create({
      title: `Alice fixes ${word}`,
      owner: 'alice',
      sources: [{ kind: 'github', repository: 'acme/web', number: 1, type: 'issue' }],
      messages: [{ role: 'user', content: `the ${word} test is flaky` }],
    })
  ).id;
  bobThread = (
    await server.store.threads.create({
      title: `Bob too: ${word}`,
      owner: 'bob',
      sources: [{ kind: 'slack', teamId: 'T', channelId: 'C', threadTs: '1.2' }],
    })
  ).id;
});

afterAll(async () => {
  await server.close();
});

function api(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
  return fetch(`${server.url}/api/threads${path}`, { ...init, headers });
}

const body = async (response: Response) => (await response.json()) as ThreadsApiAnswer;

function content(overrides: Partial<ThreadContent> = {}): Record<string, unknown> {
  return {
    title: 'synced from a laptop',
    status: 'done',
    visibility: 'team',
    sources: [{ kind: 'cli', session: randomUUID() }],
    git: { commits: [] },
    agentState: {},
    costUsd: 0.5,
    turns: 2,
    runIds: [],
    messages: [{ role: 'user', content: `local talk about ${word}` }],
    ...overrides,
  };
}

describe('threads API authentication', () => {
  it.each([
    ['GET', ''],
    ['GET', `/search?q=${word}`],
    ['GET', '/T-0196a4f0-0000-7000-8000-000000000000'],
    ['DELETE', '/T-0196a4f0-0000-7000-8000-000000000000'],
    ['PUT', '/T-0196a4f0-0000-7000-8000-000000000000'],
  ])('answers %s %s without a token with 401', async (method, path) => {
    const response = await api(path, { method });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect((await body(response)).error.code).toBe('unauthorized');
  });

  it('answers 401 for a malformed, foreign, unsigned or revoked token', async () => {
    const foreign = jwt.sign({ sub: 'alice', role: 'admin' }, 'another-secret-of-enough-length-000000');
    const unsigned = jwt.sign({ sub: 'alice', role: 'admin', iss: 'loom', aud: 'loom-proxy' }, '', {
      algorithm: 'none',
    });
    const minted = server.tokens.mint({ subject: 'alice', ttlSeconds: 60 });
    await server.store.revocations.revoke(minted.claims.jti, new Date(minted.claims.exp * 1000));
    for (const token of ['garbage', foreign, unsigned, minted.token]) {
      const response = await api('', { token });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('invalid_token');
    }
  });
});

describe('threads API reading', () => {
  it('lists every thread for an admin and only its own for a user', async () => {
    const ids = async (token: string, query = '') =>
      ((await body(await api(query, { token }))).threads as Array<{ id: string }>).map((thread) => thread.id);
    expect(await ids(server.token('root', 'admin'))).toEqual(
      expect.arrayContaining([aliceThread, bobThread]),
    );
    expect(await ids(server.token('alice'))).toEqual([aliceThread]);
    expect(await ids(server.token('alice'), '?owner=bob')).toEqual([aliceThread]);
    expect(await ids(server.token('root', 'admin'), '?owner=bob')).toEqual([bobThread]);
    expect(await ids(server.token('root', 'admin'), '?source=slack')).toEqual([bobThread]);
    expect(await ids(server.token('root', 'admin'), '?repository=acme/web&limit=5')).toEqual([aliceThread]);
  });

  it('refuses invalid filters with 400', async () => {
    const response = await api('?status=sleeping', { token: server.token('root', 'admin') });
    expect(response.status).toBe(400);
    expect((await body(response)).error.details.problems[0]).toContain('status');
  });

  it('searches ranked with snippets, scoped to what the token may read', async () => {
    const admin = await body(await api(`/search?q=${word}`, { token: server.token('root', 'admin') }));
    expect(admin.hits.map((hit) => hit.thread.id).sort()).toEqual([aliceThread, bobThread].sort());
    const alice = await body(await api(`/search?q=${word}+flaky`, { token: server.token('alice') }));
    expect(alice.hits).toHaveLength(1);
    expect(alice.hits[0]).toMatchObject({ thread: { id: aliceThread, owner: 'alice' }, messageSeq: 0 });
    expect(alice.hits[0]?.snippet.text).toBe(`the ${word} test is flaky`);
    const missing = await api('/search?q=%20', { token: server.token('alice') });
    expect(missing.status).toBe(400);
  });

  it('reads a thread with its ETag, and hides other users\u2019 threads as 404', async () => {
    const own = await api(`/${aliceThread}`, { token: server.token('alice') });
    expect(own.status).toBe(200);
    expect(own.headers.get('etag')).toBe('"1"');
    expect((await body(own)).thread).toMatchObject({
      id: aliceThread,
      version: 1,
      sources: [{ kind: 'github', repository: 'acme/web', number: 1, type: 'issue' }],
      messages: [{ seq: 0, role: 'user', content: `the ${word} test is flaky` }],
    });
    expect((await api(`/${bobThread}`, { token: server.token('alice') })).status).toBe(404);
    expect((await api(`/${bobThread}`, { token: server.token('root', 'admin') })).status).toBe(200);
    expect((await api(`/${newThreadId()}`, { token: server.token('alice') })).status).toBe(404);
    expect((await api('/not-a-thread', { token: server.token('alice') })).status).toBe(400);
  });
});

describe('threads API writing', () => {
  it('soft-deletes only what the token may read', async () => {
    const thread = await server.store.threads.create({ title: 'to delete', owner: 'carol' });
    expect((await api(`/${thread.id}`, { method: 'DELETE', token: server.token('alice') })).status).toBe(404);
    expect((await api(`/${thread.id}`, { method: 'DELETE', token: server.token('carol') })).status).toBe(204);
    expect((await api(`/${thread.id}`, { token: server.token('carol') })).status).toBe(404);
    expect(await server.store.threads.get(thread.id)).toBeUndefined();
  });

  it('creates with If-None-Match: *, replaces with If-Match, and answers 409 on a stale version', async () => {
    const id = newThreadId();
    const token = server.token('dave');
    const put = (headers: Record<string, string>, payload: unknown = content()) =>
      api(`/${id}`, {
        method: 'PUT',
        token,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(payload),
      });
    const created = await put({ 'if-none-match': '*' }, content({ owner: 'someone-else' }));
    expect(created.status).toBe(201);
    expect(created.headers.get('etag')).toBe('"1"');
    expect((await body(created)).thread).toMatchObject({ id, owner: 'dave', version: 1, costUsd: 0.5 });
    expect((await put({ 'if-none-match': '*' })).status).toBe(409);

    const replaced = await put({ 'if-match': '"1"' }, content({ title: 'second' }));
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get('etag')).toBe('"2"');
    const stale = await put({ 'if-match': '"1"' }, content({ title: 'lost update' }));
    expect(stale.status).toBe(409);
    expect((await body(stale)).error).toMatchObject({ code: 'conflict', details: { currentVersion: 2 } });
    expect((await server.store.threads.get(id))?.title).toBe('second');

    expect((await put({})).status).toBe(400);
    expect((await put({ 'if-match': '"2"' }, content({ visibility: 'private' }))).status).toBe(400);
    const invalid = await put({ 'if-match': '"2"' }, { title: '' });
    expect(invalid.status).toBe(400);
    expect((await body(invalid)).error.details.problems.length).toBeGreaterThan(1);
    const others = await api(`/${id}`, {
      method: 'PUT',
      token: server.token('alice'),
      headers: { 'content-type': 'application/json', 'if-match': '"2"' },
      body: JSON.stringify(content()),
    });
    expect(others.status).toBe(404);
  });

  it('treats a repeated PUT with the same Idempotency-Key as done (the first answer was lost)', async () => {
    const id = newThreadId();
    const token = server.token('erin');
    const put = (ifMatch: string, key: string) =>
      api(`/${id}`, {
        method: 'PUT',
        token,
        headers: { 'content-type': 'application/json', 'if-match': ifMatch, 'idempotency-key': key },
        body: JSON.stringify(content()),
      });
    const create = await api(`/${id}`, {
      method: 'PUT',
      token,
      headers: { 'content-type': 'application/json', 'if-none-match': '*', 'idempotency-key': 'k0' },
      body: JSON.stringify(content()),
    });
    expect(create.status).toBe(201);
    expect((await put('"1"', 'k1')).headers.get('etag')).toBe('"2"');
    const again = await put('"1"', 'k1');
    expect(again.status).toBe(200);
    expect(again.headers.get('etag')).toBe('"2"');
    expect((await put('"1"', 'k2')).status).toBe(409);
  });

  it('lets an admin write a thread for another owner and keep the owner on replace', async () => {
    const id = newThreadId();
    const token = server.token('root', 'admin');
    const send = (headers: Record<string, string>, payload: Record<string, unknown>) =>
      api(`/${id}`, {
        method: 'PUT',
        token,
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(payload),
      });
    expect((await body(await send({ 'if-none-match': '*' }, content({ owner: 'frank' })))).thread.owner).toBe(
      'frank',
    );
    expect((await body(await send({ 'if-match': '1' }, content()))).thread.owner).toBe('frank');
  });
});
